"""Error pages that never need the database (issue 19, item 5).

In-process: the 404, 403, 500 and 503 pages are drawn with no query at all (CaptureQueriesContext, and the
database blocked while they render), for a visitor, for a session whose person was not read (the header without
the account part) and for a person already read (name and menu, still no query).

With the database really away: gunicorn whose DATABASE_URL goes through a TCP forwarder to the test database;
a judge signs in while it is up, the forwarder (tests/faults/tcp_proxy.py) is cut, and a missing page is the
404 page (not a 500, not the 503), a refused form the 403; the database back, the same session serves pages again.
"""

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_otp.middleware import OTPMiddleware

from kipp import views
from kipp.middleware import DatabaseUnavailableMiddleware
from tests.factories import JudgeFactory
from tests.faults.servers import BASE_DIR, Browser, child_env
from tests.faults.tcp_proxy import TcpProxy
from tests.pages import page_body

PORTS = range(8450, 8470)  # this file's ports


def signed_in_request(client, user, path="/tidak-ada/"):
    """A request as the middleware leaves it for a signed-in browser: the session cookie, request.user lazy
    (nothing read yet)."""
    client.force_login(user)
    request = RequestFactory().get(path)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    OTPMiddleware(lambda r: HttpResponse())._install_lazy_accessors(request)
    return request


def visitor_request(path="/tidak-ada/"):
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


@contextlib.contextmanager
def no_database(django_db_blocker):
    """Zero queries, and any use of the database at all fails the test."""
    with CaptureQueriesContext(connection) as queries, django_db_blocker.block():
        yield queries
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_404_for_a_session_not_read_is_drawn_without_the_database_and_without_the_account(client, django_db_blocker):
    judge = JudgeFactory(full_name="Panelis Tanpa Basis Data")
    request = signed_in_request(client, judge)
    with no_database(django_db_blocker):
        response = views.error_404(request, Http404())
    assert response.status_code == 404
    html = page_body(response.content.decode())
    assert "Halaman tidak ditemukan (404)" in html
    assert "Kembali ke beranda" in html and 'name="language"' in html  # the site's header: the language switch
    assert "Panelis Tanpa Basis Data" not in html
    assert reverse("kipp:login") not in html  # not "sign in" either: the session is there, only not read


@pytest.mark.django_db
def test_404_in_english_without_the_database(client, django_db_blocker):
    request = signed_in_request(client, JudgeFactory())
    with translation.override("en"), no_database(django_db_blocker):
        response = views.error_404(request, Http404())
    assert response.status_code == 404
    assert "Page not found (404)" in response.content.decode()


@pytest.mark.django_db
def test_404_for_a_person_already_read_shows_their_name_and_menu_without_a_query(client, django_db_blocker):
    judge = JudgeFactory(full_name="Panelis Sudah Terbaca")
    request = signed_in_request(client, judge)
    assert request.user.is_authenticated  # read by the middleware before the page was found missing
    with no_database(django_db_blocker):
        response = views.error_404(request, Http404())
    html = page_body(response.content.decode())
    assert response.status_code == 404
    assert "Panelis Sudah Terbaca" in html
    assert reverse("kipp:dashboard") in html  # the judge's menu
    assert reverse("kipp:logout") in html


@pytest.mark.django_db
def test_404_and_403_for_a_visitor_without_the_database(django_db_blocker):
    with no_database(django_db_blocker):
        missing = views.error_404(visitor_request(), Http404())
        refused = views.error_403(visitor_request("/rahasia/"), PermissionDenied("Hanya untuk panitia."))
    assert missing.status_code == 404
    assert reverse("kipp:login") in missing.content.decode()  # no session: certainly a visitor
    assert refused.status_code == 403
    html = page_body(refused.content.decode())
    assert "Hanya untuk panitia." in html
    assert "Masuk dengan akun lain" in html


@pytest.mark.django_db
def test_403_for_a_session_not_read_without_the_database(client, django_db_blocker):
    request = signed_in_request(client, JudgeFactory(full_name="Panelis Ditolak"), "/rahasia/")
    with no_database(django_db_blocker):
        response = views.error_403(request, PermissionDenied())
    assert response.status_code == 403
    html = page_body(response.content.decode())
    assert "Akses ditolak (403)" in html
    assert "Panelis Ditolak" not in html and "Masuk dengan akun lain" not in html


@pytest.mark.django_db
def test_500_and_503_without_the_database(client, django_db_blocker):
    request = signed_in_request(client, JudgeFactory())
    with no_database(django_db_blocker):
        failed = views.error_500(request)
    assert failed.status_code == 500
    assert "Terjadi gangguan (500)" in failed.content.decode()
    # the 503 page checks the connection it has (kipp.middleware), which the blocker would refuse: no query
    with CaptureQueriesContext(connection) as queries:
        away = DatabaseUnavailableMiddleware(lambda r: HttpResponse()).process_exception(request, OperationalError())
    assert len(queries) == 0
    assert away.status_code == 503
    assert "coba lagi" in away.content.decode() and "try again" in away.content.decode()


# The database really away -------------------------------------------------------------------------------------


def free_port_in(ports):
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


@contextlib.contextmanager
def gunicorn_on(env, port):
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "kipp.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


PASSWORD = "kata-sandi-tanpa-basis-data-1"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_the_database_away_a_signed_in_judge_gets_the_404_and_403_pages_then_pages_again():
    judge = JudgeFactory(email="panelis.gangguan@example.org", full_name="Panelis Saat Gangguan")
    judge.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaram12", iterations=1000)
    judge.save()
    db = connection.settings_dict
    forwarder = TcpProxy(free_port_in(PORTS), (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))).start()
    env = child_env(
        DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{forwarder.port}/{db['NAME']}", STAFF_2FA="optional"
    )
    env.update(JUDGE_2FA="optional")
    env.pop("DEBUG")  # with DEBUG Django draws its own technical 404 page
    try:
        with gunicorn_on(env, free_port_in(p for p in PORTS if p != forwarder.port)) as port:
            browser = Browser()
            assert browser.get(port, reverse("kipp:login"))[0] == 200
            login = {"username": judge.email, "password": PASSWORD}
            assert browser.post(port, reverse("kipp:login"), login)[0] == 302
            status, _, body = browser.get(port, reverse("kipp:dashboard"))
            assert status == 200 and "Panelis Saat Gangguan" in body.decode()

            forwarder.cut()
            status, headers, body = browser.get(port, "/halaman-yang-tidak-ada/")
            assert status == 404, body.decode()[:500]
            html = body.decode()
            assert "Halaman tidak ditemukan (404)" in html
            assert "Panelis Saat Gangguan" not in html
            assert "private" in headers["Cache-Control"]  # who asked is unknown: kept out of shared caches

            # a form refused (no CSRF token) on a page that is open without the second-factor check: the 403
            status, _, body = browser.request(
                port, "POST", reverse("kipp:logout"), b"", {"Content-Type": "application/x-www-form-urlencoded"}
            )
            assert status == 403, body.decode()[:500]

            status, _, body = browser.get(port, reverse("kipp:dashboard"))
            assert status == 503  # a page that needs the database: "try again"

            forwarder.restore()
            deadline = time.monotonic() + 15
            while (status := browser.get(port, reverse("kipp:dashboard"))[0]) != 200:
                assert time.monotonic() < deadline, status
                time.sleep(0.2)
    finally:
        with contextlib.suppress(OSError):
            forwarder.cut()
