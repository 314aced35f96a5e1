"""Two app servers (two gunicorn processes) with the same STORAGE_URL (moto's S3 on the loopback) and the same
database: an innovator uploads a photo through one, the judge assigned to the entry opens it through the other
(streamed by one, a presigned redirect of a minute by the other); no local disk holds it, and nobody reaches it
without the permission check: visitors, an unassigned judge, an unsigned read of the bucket."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django.utils import timezone

from entries.models import Attachment, Entry
from judging.models import RoundEntry
from tests.factories import EntryFactory, InnovatorFactory, JudgeFactory
from tests.faults.servers import BASE_DIR, Browser, child_env
from tests.judging.scoring.helpers import add_judge, add_sheet, make_round
from tests.world import png

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "kata-sandi-dua-server-berkas-1"


def _with_password(user):
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaram12", iterations=1000)
    user.save()
    return user


@contextmanager
def app_server(env, port):
    """gunicorn on 127.0.0.1:port (this suite's storage ports, 8380-8389), stopped at the end."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "kipp.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start on port {port}") from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _login(port, user):
    browser = Browser()
    status, _, _ = browser.get(port, reverse("kipp:login"))
    assert status == 200
    status, _, _ = browser.post(port, reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert status == 302, f"login of {user.email} on port {port} failed"
    return browser


def test_a_photo_uploaded_through_one_server_is_opened_by_the_judge_through_the_other(bucket, tmp_path, worker_id):
    innovator = _with_password(InnovatorFactory(email="inovator.bucket@example.org"))
    entry = EntryFactory(agency=innovator.agency, created_by=innovator, title="Layanan Berkas Bersama")
    judge = _with_password(JudgeFactory(email="juri.bucket@example.org"))
    stranger = _with_password(JudgeFactory(email="juri.lain@example.org"))
    disk_a, disk_b = tmp_path / "a", tmp_path / "b"
    base = 8380 + 4 * (int(worker_id[2:]) % 2 if worker_id.startswith("gw") else 0)
    env_a = child_env(STORAGE_URL=bucket.url, MEDIA_ROOT=disk_a, JUDGE_2FA="optional", STAFF_2FA="optional")
    env_b = child_env(
        STORAGE_URL=bucket.url, MEDIA_ROOT=disk_b, JUDGE_2FA="optional", STAFF_2FA="optional", STORAGE_REDIRECT="1"
    )
    with app_server(env_a, base) as a, app_server(env_b, base + 1) as b:
        # the innovator uploads through A
        browser = _login(a, innovator)
        browser.get(a, reverse("entries:edit", args=[entry.pk]))
        picture = png(size=(160, 120), color=(200, 90, 10))
        status, _, _ = browser.post_file(
            a,
            reverse("entries:attachment_add", args=[entry.pk]),
            {"kind": "photo"},
            "file",
            "foto.png",
            picture,
            "image/png",
        )
        assert status == 302
        attachment = Attachment.objects.get(entry=entry)
        assert bucket.keys() == sorted([attachment.file.name, attachment.thumbnail.name])
        stored = bucket.read(attachment.file.name)
        assert bucket.public_grants(attachment.file.name) == []

        # the entry goes to a round; its judge opens the photo through A (streamed) and B (redirected)
        now = timezone.now()
        Entry.objects.filter(pk=entry.pk).update(status="eligible", submitted_at=now, decided_at=now)
        round_ = make_round([("mutu", 1, 1, 10)], competition=entry.competition, state="open")
        RoundEntry.objects.create(round=round_, entry=entry, source="eligible")
        add_judge(round_, judge)
        add_sheet(round_, entry, judge, {}, assign_only=True)
        address = reverse("entries:attachment", args=[attachment.pk])
        judge_a, judge_b = _login(a, judge), _login(b, judge)
        status, headers, body = judge_a.get(a, address)
        assert status == 200 and body == stored and headers["Content-Type"] == "image/png"
        status, headers, _ = judge_b.get(b, address)
        assert status == 302
        signed = headers["Location"]
        assert signed.startswith(f"{bucket.endpoint}/{bucket.name}/") and "X-Amz-Expires=60" in signed
        with urllib.request.urlopen(signed, timeout=10) as answer:  # noqa: S310 (the loopback's moto)
            assert answer.read() == stored

        # nobody else: visitors and an unassigned judge on either server, an unsigned read of the bucket
        visitor = Browser()
        other = _login(b, stranger)
        for port in (a, b):
            status, headers, _ = visitor.get(port, address)
            assert status == 302 and headers["Location"].startswith(reverse("kipp:login"))
            assert other.get(port, address)[0] == 404
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{bucket.endpoint}/{bucket.name}/{attachment.file.name}", timeout=10)  # noqa: S310
        assert refused.value.code == 403
    # and neither server kept a copy on its own disk
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
