"""Two app servers (two gunicorn processes on two ports) against one database and one MEDIA_ROOT: a session
started on one works on the other, and an upload made through one is served by the other."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from entries.models import Attachment
from tests.factories import EntryFactory, InnovatorFactory
from tests.faults.servers import Browser, child_env, gunicorn
from tests.world import png

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "kata-sandi-dua-server-1"


def test_session_and_upload_cross_between_two_app_servers(tmp_path):
    user = InnovatorFactory(email="dua.server@example.org", full_name="Inovator Dua Server")
    # the servers use the default hashers: store a (cheap) PBKDF2 hash they can check
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "garamgaram12", iterations=1000)
    user.save()
    entry = EntryFactory(agency=user.agency, created_by=user, title="Layanan Dua Server")
    env = child_env(MEDIA_ROOT=tmp_path / "media")
    with gunicorn(env) as a, gunicorn(env) as b:
        browser = Browser()
        status, _, _ = browser.get(a, reverse("kipp:login"))
        assert status == 200 and "csrftoken" in browser.cookies
        status, headers, _ = browser.post(a, reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
        assert status == 302, "login on server A failed"
        # the session started on A works on B
        status, _, body = browser.get(b, reverse("entries:my"))
        assert status == 200
        assert "Layanan Dua Server" in body.decode()
        # an upload made through B is served by A
        browser.get(b, reverse("entries:edit", args=[entry.pk]))
        picture = png(size=(80, 60), color=(10, 200, 90))
        status, _, _ = browser.post_file(
            b,
            reverse("entries:attachment_add", args=[entry.pk]),
            {"kind": "photo"},
            "file",
            "foto.png",
            picture,
            "image/png",
        )
        assert status == 302
        attachment = Attachment.objects.get(entry=entry)
        status, headers, served = browser.get(a, reverse("entries:attachment", args=[attachment.pk]))
        assert status == 200
        assert headers["Content-Type"] == "image/png"
        assert served == (tmp_path / "media" / attachment.file.name).read_bytes()
        # and a stranger gets nothing from either server
        stranger = Browser()
        for port in (a, b):
            assert stranger.get(port, reverse("entries:attachment", args=[attachment.pk]))[0] in (302, 403, 404)
