"""The demo organisation that `manage.py seed_demo` builds: people, training content, and
assignments with progress in every state. Every step is idempotent."""

from .organisation import DEMO_ACCOUNTS, DEMO_PASSWORD, SUB_DEPARTMENTS, demo_roster

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "SUB_DEPARTMENTS", "demo_roster"]
