"""What every benchmark does first: point Django at a throwaway database and migrate it.

Without --database-url a fresh SQLite file in /tmp is used; a PostgreSQL URL names a database
that is created if missing (earlier bench rows are each script's to remove).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
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


# --- What the benches that serve over HTTP or drop their database share


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    *,
    database_url: str,
    port: int,
    log: Path,
    arguments: list[str],
    is_ready: Callable[[int], bool],
    ready_timeout: float = 30,
    **environment: str,
) -> subprocess.Popen:
    """gunicorn serving the project on `port` as in production (no debug pages, no query log),
    once `is_ready(port)` says so; exits the bench with gunicorn's log if it does not start."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        **environment,
    }
    env.pop("CELERY_BROKER_URL", None)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "lms.wsgi", *arguments]
    command += ["-b", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}):\n{log.read_text()}")
        try:
            if is_ready(port):
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    sys.exit(f"gunicorn did not answer within {ready_timeout} s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def close_connections() -> None:
    try:
        from django.db import connections
    except ImportError:
        return
    connections.close_all()


def drop_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlparse(database_url).path.lstrip("/")
    server_url = urlparse(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
