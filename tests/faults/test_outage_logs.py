"""Logs operators can use (issue 19 item 6): a database outage is logged once when it starts, with the error, and
once when it ends, with how long it lasted and how many requests it refused; nothing per request in between.

The outage is real: gunicorn (gunicorn.conf.py) reaches PostgreSQL through a TCP proxy of the test, which the test
cuts (open connections reset, new ones refused) and restores. /health/ keeps answering meanwhile and
/health/ready/ names the database."""

import json
import logging
import re
import threading
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import OperationalError, connection
from django.urls import reverse

from kipp.outage import Outage
from tests.factories import InnovatorFactory
from tests.faults.servers import Browser, child_env
from tests.faults.tcp_proxy import TcpProxy
from tests.faults.web_process import gunicorn, port_in_range

REFUSED_PAGES = 12
SIGNED_IN_PAGES = 3
PASSWORD = "kata-sandi-gangguan-1"


def through(proxy_port):
    s = connection.settings_dict
    return f"postgres://{s['USER']}@127.0.0.1:{proxy_port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends_with_the_requests_refused(tmp_path):
    s = connection.settings_dict
    proxy = TcpProxy(port_in_range(), (s["HOST"] or "127.0.0.1", int(s["PORT"] or 5432))).start()
    log = tmp_path / "gunicorn.log"
    home = reverse("kipp:home")
    visitor = Browser()
    innovator = InnovatorFactory(email="inovator.gangguan@example.org")
    innovator.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaram12", iterations=1000)
    innovator.save()
    member = Browser()
    dashboard = reverse("kipp:dashboard")
    try:
        with gunicorn(child_env(DATABASE_URL=through(proxy.port)), log, workers=1) as port:
            for _ in range(3):
                assert visitor.get(port, home)[0] == 200  # a persistent connection through the proxy
            member.get(port, reverse("kipp:login"))
            assert (
                member.post(port, reverse("kipp:login"), {"username": innovator.email, "password": PASSWORD})[0] == 302
            )
            assert member.get(port, dashboard)[0] == 200

            proxy.cut()
            started = time.monotonic()
            answers = [visitor.get(port, home) for _ in range(REFUSED_PAGES)]
            assert [status for status, _, _ in answers] == [503] * REFUSED_PAGES
            assert all("coba lagi" in body.decode() for _, _, body in answers)
            # signed in: the session cannot be read either; the same page, not an error page
            signed_in = [member.get(port, dashboard) for _ in range(SIGNED_IN_PAGES)]
            assert [status for status, _, _ in signed_in] == [503] * SIGNED_IN_PAGES
            assert all(headers["Cache-Control"] == "private, no-store" for _, headers, _ in signed_in)
            status, _, body = visitor.get(port, reverse("kipp:health"))
            assert (status, body) == (200, b"ok")  # alive: nobody should restart it
            status, _, body = visitor.get(port, reverse("kipp:health_ready"))
            assert status == 503
            assert json.loads(body)["failed"] == ["database"]
            time.sleep(max(0, 1.2 - (time.monotonic() - started)))

            proxy.restore()
            assert visitor.get(port, home)[0] == 200
            assert visitor.get(port, reverse("kipp:health_ready"))[0] == 200
            assert visitor.get(port, home)[0] == 200
            assert member.get(port, dashboard)[0] == 200  # still signed in
    finally:
        proxy.cut()

    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    gone = [line for line in lines if line.startswith("database unavailable: ")]
    back = [line for line in lines if line.startswith("database back after ")]
    assert len(gone) == 1, lines
    assert "Connection refused" in gone[0] or "connection" in gone[0].lower(), gone
    assert len(back) == 1, lines
    seconds, refused = re.fullmatch(
        r"database back after ([\d.]+) s; (\d+) requests refused meanwhile", back[0]
    ).groups()
    assert float(seconds) >= 1.0
    assert int(refused) == REFUSED_PAGES + SIGNED_IN_PAGES  # the pages; the readiness check is no refused request
    assert lines == gone + back, lines  # and nothing else: no line per request


def refused(message):
    error = OperationalError(message)
    error.__cause__ = None
    return error


def test_many_threads_refusing_at_once_log_one_line_and_count_every_request(caplog):
    outage = Outage()
    caplog.set_level(logging.WARNING, logger="kipp.outage")
    start = threading.Barrier(16)

    def refuse():
        start.wait()
        for _ in range(50):
            outage.failed(refused('connection to server at "10.0.0.9", port 5432 failed:\n\tConnection refused'))

    threads = [threading.Thread(target=refuse) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outage.failed(refused("again"), refused=False)  # a readiness check: noted, not counted
    assert [r.getMessage() for r in caplog.records] == [
        'database unavailable: connection to server at "10.0.0.9", port 5432 failed: Connection refused'
    ]
    assert caplog.records[0].levelname == "ERROR"
    outage.recovered()
    outage.recovered()  # a second connection opening: the outage was over already
    assert len(caplog.records) == 2
    assert re.fullmatch(
        r"database back after \d+\.\d s; 800 requests refused meanwhile", caplog.records[1].getMessage()
    )
    assert caplog.records[1].levelname == "WARNING"
