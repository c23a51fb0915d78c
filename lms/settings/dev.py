"""The embedded default for a laptop or the demo: DEBUG on, everything in one process."""

from .base import *  # noqa: F403
from .environment import env_bool

DEBUG = env_bool("DEBUG", True)
