"""Two-factor sign-in in Chromium, with STAFF_2FA=required: the demo organiser signs in with the password and
reaches nothing but the enrol page; enrols (reads the secret on the page, computes the app's code), sees the backup
codes once, signs out, signs in with a code from the app, signs out, signs in with a backup code."""

import re
import time
from base64 import b32decode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kipp.models import AuditEvent, User
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kata-sandi-demo-2fa"
EMAIL = "organiser@demo.kipp.id"


def next_app_code(key, last_t=-1, drift=0, step=30):
    """What the app shows now (or in the next step, when this step's code was used already)."""
    now_t = int(time.time() // step)
    target = max(now_t + drift, last_t + 1)
    return f"{totp(key, step=step, drift=target - now_t):06d}"


def sign_out(page):
    with page.expect_navigation():
        page.locator("header form[action='/akun/keluar/'] button").click()


def test_organiser_enrols_then_signs_in_with_a_code_and_with_a_backup_code(page, live_server, settings, media_root):
    settings.STAFF_2FA = "required"
    call_command("seed_demo", entries=5, judges=3, password=PASSWORD, verbosity=0)
    organiser = User.objects.get(email=EMAIL)
    export = reverse("judging:round_download", args=["kipp-sulsel-2023", "penilaian-proposal", "hasil", "csv"])
    setup = reverse("judging:round_setup", args=["kipp-sulsel-2023", "penilaian-proposal"])

    login(page, live_server, EMAIL, PASSWORD)
    assert "/akun/2fa/daftar/" in page.url
    for path in ("/dasbor/", export, "/admin/", setup):
        page.goto(f"{live_server.url}{path}")
        assert "/akun/2fa/daftar/" in page.url, path
        assert page.get_by_role("heading", name="Aktifkan verifikasi dua langkah").is_visible()

    assert page.locator("svg.twofactor-qr").is_visible()
    secret = page.locator("#twofactor-secret").inner_text()
    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("Kode dari aplikasi").fill(next_app_code(key))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan", exact=True).click()
    assert "/akun/2fa/kode-cadangan/" in page.url
    assert page.get_by_text("Halaman ini hanya tampil sekali").is_visible()
    codes = page.locator("#twofactor-backup-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    with page.expect_navigation():
        page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    assert page.url.endswith(setup)  # where the organiser was going last
    page.goto(f"{live_server.url}/dasbor/")
    assert page.url.endswith("/dasbor/")
    sign_out(page)

    login(page, live_server, EMAIL, PASSWORD)
    assert "/akun/2fa/verifikasi/" in page.url
    page.goto(f"{live_server.url}{setup}")
    assert "/akun/2fa/verifikasi/" in page.url
    device = TOTPDevice.objects.get(user=organiser, confirmed=True)
    page.get_by_label("Kode").fill(next_app_code(key, device.last_t, device.drift))
    with page.expect_navigation():
        page.get_by_role("button", name="Lanjutkan").click()
    assert page.url.endswith(setup)
    response = page.request.get(f"{live_server.url}{export}")
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    sign_out(page)

    login(page, live_server, EMAIL, PASSWORD)
    assert "/akun/2fa/verifikasi/" in page.url
    page.get_by_label("Kode").fill(codes[0].upper())
    with page.expect_navigation():
        page.get_by_role("button", name="Lanjutkan").click()
    assert page.url.endswith("/dasbor/")
    assert page.get_by_text("Tersisa 9 kode").is_visible()
    assert not StaticToken.objects.filter(device__user=organiser, token=codes[0]).exists()
    sign_out(page)

    login(page, live_server, EMAIL, PASSWORD)
    page.get_by_label("Kode").fill(codes[0])
    page.get_by_role("button", name="Lanjutkan").click()
    assert page.get_by_text("Kode tidak cocok atau sudah dipakai").is_visible()
    assert "/akun/2fa/verifikasi/" in page.url

    actions = list(
        AuditEvent.objects.filter(object_id=str(organiser.pk), action__startswith="twofactor.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "twofactor.enrolled",
        "twofactor.verified",
        "twofactor.backup_code_used",
        "twofactor.verified",
        "twofactor.verify_failed",
    ]
