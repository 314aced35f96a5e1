"""The embedded database stopped under a running `make run` comes back by itself (issue 19, item 2).

A throwaway embedded server (KIPP_EMBEDDED_PGDATA in a temporary folder, DATABASE_URL unset), `manage.py
migrate` and `manage.py run_portal` as processes of their own, as `make run` does. The server is stopped the way
`make db-stop` stops it, and later killed (kill -9 of the postmaster): each time the next pages get the 503 page
at most for a few seconds, then 200 again from the same web process; the log says it once, with the cause; the
task worker is connected again (a heartbeat after the restart). The server is stopped at the end, always.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from tests.faults.servers import BASE_DIR, Browser, child_env

pytestmark = pytest.mark.slow

PORTS = range(8450, 8470)  # this test's ports (pick a free one)
RESTARTED = re.compile(r"embedded database was not running \((.+)\); restarted in \d+\.\d s")


def free_port_in(ports):
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def embedded_env(pgdata):
    env = child_env(KIPP_EMBEDDED_PGDATA=pgdata, LOG_LEVEL="WARNING")
    env.pop("DATABASE_URL")
    env.pop("DEBUG")  # the developer's default (make run)
    return env


def manage(env, *args, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def db_stop(env):
    """What `make db-stop` runs."""
    code = "import sys; sys.path.insert(0, '.'); from kipp import embedded_db; print(embedded_db.stop('.'))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def postmaster_pid(pgdata):
    path = Path(pgdata) / "postmaster.pid"
    return int(path.read_text().split()[0]) if path.exists() else None


def status_of(browser, port):
    try:
        return browser.get(port, "/")[0]
    except OSError:
        return None


def wait_for_200(browser, port, seconds):
    """GET / until it answers 200: the statuses seen before (503 while the database is away)."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = status_of(browser, port)
        if status == 200:
            return seen
        seen.append(status)
        time.sleep(0.2)
    raise AssertionError(f"no 200 within {seconds} s: {seen}")


def web_processes(portal):
    return {p.pid for p in psutil.Process(portal.pid).children(recursive=True) if "runserver" in " ".join(p.cmdline())}


def last_heartbeat(pgdata):
    import psycopg

    socket_dir = (Path(pgdata) / "postmaster.pid").read_text().splitlines()[4]
    with psycopg.connect(host=socket_dir, dbname="kipp", user="postgres") as conn:
        return conn.execute("SELECT max(last_heartbeat), clock_timestamp() FROM procrastinate_workers").fetchone()


def restarts(log):
    return RESTARTED.findall(log.read_text(errors="replace"))


@pytest.fixture
def pgdata():
    """A data folder of its own under var/ (not pytest's tmp: parallel runs of other checkouts prune that one)."""
    (BASE_DIR / "var").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="postgres-test-", dir=BASE_DIR / "var"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_embedded_database_stopped_or_killed_under_make_run_comes_back_without_restarting_the_portal(
    pgdata, tmp_path
):
    env = embedded_env(pgdata)
    log = tmp_path / "portal.log"
    portal = None
    try:
        migrated = manage(env, "migrate", "--noinput", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
        port = free_port_in(PORTS)
        with log.open("w") as out:
            portal = subprocess.Popen(
                [sys.executable, "manage.py", "run_portal", f"127.0.0.1:{port}"],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        browser = Browser()
        wait_for_200(browser, port, 90)
        web = web_processes(portal)
        assert web

        # make db-stop
        assert db_stop(env).stdout.strip() == "True"
        assert postmaster_pid(pgdata) is None
        seen = wait_for_200(browser, port, 15)
        assert set(seen) <= {503}, seen
        assert len(seen) <= 25  # a few seconds at most
        assert web_processes(portal) == web  # served again by the same web server
        causes = restarts(log)
        assert len(causes) == 1, log.read_text()
        assert "no server process" in causes[0] or "connection" in causes[0]

        # a crash: kill -9 of the postmaster
        os.kill(postmaster_pid(pgdata), signal.SIGKILL)
        seen = wait_for_200(browser, port, 20)
        assert set(seen) <= {503}, seen
        assert web_processes(portal) == web
        assert len(restarts(log)) == 2, log.read_text()
        assert status_of(browser, port) == 200

        # the task worker is connected again: a heartbeat after the restart
        restarted_at = last_heartbeat(pgdata)[1]
        deadline = time.monotonic() + 60
        while (last_heartbeat(pgdata)[0] or restarted_at) <= restarted_at:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)
        assert portal.poll() is None
    finally:
        if portal is not None:
            portal.send_signal(signal.SIGTERM)  # run_portal stops its web server and worker
            try:
                portal.wait(timeout=30)
            except subprocess.TimeoutExpired:
                portal.kill()
        db_stop(env)
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(pgdata) in " ".join(p.info["cmdline"] or [])]
