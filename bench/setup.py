"""What every benchmark does first: point Django at a throwaway database and migrate it.

Without --database-url a fresh SQLite file in /tmp is used; a PostgreSQL URL names a database
that is created if missing (earlier bench rows are each script's to remove).
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def set_up_django(*, database_url: str | None, sqlite_file: Path, **environment: str) -> None:
    if database_url:
        if database_url.startswith("postgres"):
            _create_postgres_database_if_missing(database_url)
    else:
        sqlite_file.unlink(missing_ok=True)
        database_url = f"sqlite:///{sqlite_file}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The benches measure the services, so tasks run in-process whatever the shell says.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _create_postgres_database_if_missing(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlparse(database_url).path.lstrip("/")
    server_url = urlparse(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
