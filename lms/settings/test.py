"""Settings for the test suite: fast hashing, mail kept in memory, tasks run in-process.

The integration suite switches its own process to the real broker (tests/integration/conftest.py).
"""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES
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

# With the suite split over processes (pytest-xdist), each empties the shared cache before every
# test (tests/conftest.py): on Redis each gets a database of its own, after the configured one.
# The integration suite's Celery worker inherits the variable, so it shares its process's.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and "redis" in CACHES["default"]["BACKEND"]:
    _cache_url = urlsplit(CACHES["default"]["LOCATION"])
    _cache_db = int(_cache_url.path.strip("/") or 0) + 1 + int(_xdist_worker[2:])
    CACHES["default"]["LOCATION"] = urlunsplit(_cache_url._replace(path=f"/{_cache_db}"))
