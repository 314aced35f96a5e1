"""gunicorn as production runs it (gunicorn.conf.py, 2 workers) on a port of this area's range (8430-8449), with
its standard error kept in a file the test reads, and a timed HTTP request."""

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from tests.faults.servers import BASE_DIR

PORTS = range(8430, 8450)


def port_in_range():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def start_gunicorn(env, log_path, *, workers=2):
    port = port_in_range()
    log = Path(log_path).open("wb")  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "kipp.wsgi",
            "--config",
            str(BASE_DIR / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc.log = log
    proc.port = port
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.log.close()


@contextmanager
def gunicorn(env, log_path, *, workers=2):
    """Started, and answering /health/ in every worker (each request lands on whichever worker is free)."""
    proc = start_gunicorn(env, log_path, workers=workers)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + Path(log_path).read_text(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", proc.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield proc.port
    finally:
        stop(proc)


def timed(call, *args):
    started = time.monotonic()
    result = call(*args)
    return time.monotonic() - started, result
