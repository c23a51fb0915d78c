"""Settings for the test suite: fast hashing, mail kept in memory, tasks run in-process.

The integration suite switches its own process to the real broker (tests/integration/conftest.py).
"""

from .base import *  # noqa: F403
from .environment import env_bool

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Unit tests see a task's effect at once, even when CELERY_BROKER_URL names a real broker. The
# integration suite's worker process turns it off, so its retries go through the broker too.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
