"""Security headers on every page kind (public, each role's pages, downloads, error pages), and HSTS, secure
cookies and the HTTPS redirect under production settings (DEBUG=0, in a child process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.faults.servers import database_url
from tests.world import build_world

pytestmark = pytest.mark.django_db


def page_kinds(w):
    comp, rnd = w.competition.slug, w.round.slug
    pages = [
        (None, "/"),
        (None, reverse("kipp:login")),
        (None, reverse("kipp:signup")),
        (None, reverse("kipp:password_reset")),
        (None, "/tidak-ada-halaman-ini/"),
        (w.owner, reverse("kipp:dashboard")),
        (w.owner, reverse("kipp:profile")),
        (w.owner, reverse("entries:my")),
        (w.owner, reverse("entries:detail", args=[w.entry.pk])),
        (w.owner, reverse("entries:edit", args=[w.draft.pk])),
        (w.owner, reverse("entries:print", args=[w.entry.pk])),
        (w.owner, reverse("entries:attachment", args=[w.attachment.pk])),
        (w.owner, reverse("entries:attachment_thumb", args=[w.attachment.pk])),
        (w.other_innovator, reverse("entries:detail", args=[w.entry.pk])),
        (w.verifier, reverse("entries:verify_queue")),
        (w.organiser, reverse("entries:organiser_list")),
        (w.organiser, reverse("entries:organiser_list") + "?export=csv"),
        (w.organiser, reverse("entries:selection")),
        (w.organiser, reverse("judging:round_index")),
        (w.organiser, reverse("judging:round_dashboard", args=[comp, rnd])),
        (w.organiser, reverse("judging:round_setup", args=[comp, rnd])),
        (w.organiser, reverse("judging:round_download", args=[comp, rnd, "nilai", "csv"])),
        (w.judge, reverse("judging:my_rounds")),
        (w.judge, reverse("judging:queue", args=[comp, rnd])),
        (w.judge, reverse("judging:sheet", args=[w.assignment.pk])),
        (w.unassigned_judge, reverse("judging:sheet", args=[w.assignment.pk])),
    ]
    if w.announcement is not None:
        pages += [
            (None, reverse("judging:public_list")),
            (None, reverse("judging:public_announcement", args=[w.announcement.pk])),
            (None, reverse("judging:public_pdf", args=[w.announcement.pk])),
            (w.organiser, reverse("judging:announcement_index")),
        ]
    return pages


def test_every_page_kind_sends_the_security_headers(client, media_root):
    w = build_world()
    problems = []
    for user, url in page_kinds(w):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        h = response.headers
        policy = h.get("Content-Security-Policy", "")
        # file downloads carry a stricter policy of their own: nothing runs, sandboxed (framing: X-Frame-Options)
        locked_down = "default-src 'none'" in policy and "sandbox" in policy
        checks = {
            "CSP present": bool(policy),
            "CSP without unsafe-inline": "unsafe-inline" not in policy and "unsafe-eval" not in policy,
            "CSP script-src 'self'": "script-src 'self'" in policy or locked_down,
            "CSP frame-ancestors 'none'": "frame-ancestors 'none'" in policy or locked_down,
            "nosniff": h.get("X-Content-Type-Options") == "nosniff",
            "Referrer-Policy": h.get("Referrer-Policy") == "same-origin",
            "X-Frame-Options DENY": h.get("X-Frame-Options") == "DENY",
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            problems.append(f"{url} ({response.status_code}, {getattr(user, 'email', 'anonymous')}): {failed}")
    assert not problems, "\n".join(problems)


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
secure = Client().get("/akun/keluar/", secure=True)
plain = Client().get("/akun/masuk/")
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "secure_status": secure.status_code,
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def test_production_settings_send_hsts_and_redirect_to_https():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "uji-" + "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "kipp.settings",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in found["hsts"]
    assert found["plain_status"] == 301 and found["plain_location"].startswith("https://")
    assert found["session_secure"] and found["csrf_secure"] and found["session_httponly"]
