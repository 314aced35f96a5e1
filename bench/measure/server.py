"""A gunicorn of the benchmark's own (bench.settings) and plain HTTP requests to it, for sections 4 to 6."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

from django.urls import reverse

from bench.measure.common import BASE_DIR


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(**extra):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(BASE_DIR / "var" / "bench-static"),
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "locmem://",
            "STAFF_2FA": "optional",  # the benchmark times the pages; two-factor sign-in has its own tests
        }
    )
    env.update(extra)
    return env


@contextmanager
def gunicorn(workers=None):
    """gunicorn as `make serve` starts it: the settings of gunicorn.conf.py (worker class, workers, threads)."""
    env = bench_env()
    port = free_port()
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    args = [gunicorn_bin, "kipp.wsgi", "--config", str(BASE_DIR / "gunicorn.conf.py")]
    args += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if workers is not None:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, cwd=BASE_DIR, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status = http_get(port, "/")[0]
                if status < 500:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def http_get(port, path, cookies=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, response.headers.get_all("Set-Cookie") or []


def parse_cookies(set_cookie_headers):
    jar = {}
    for header in set_cookie_headers:
        cookie = SimpleCookie()
        cookie.load(header)
        for key, morsel in cookie.items():
            jar[key] = morsel.value
    return jar


def drain(port, limit=120):
    """Wait until gunicorn has worked off the requests wrk left queued (its connections close, the requests stay):
    two requests in a row to a cheap page must come back quickly."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        start = time.perf_counter()
        http_get(port, reverse("kipp:login"))
        quick = quick + 1 if time.perf_counter() - start < 0.5 else 0
