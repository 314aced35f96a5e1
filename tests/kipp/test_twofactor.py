"""Two-factor sign-in (issue 17 item 1): kipp/twofactor/. With STAFF_2FA=required an organiser who gave only the
password reaches no page but the 2FA pages; codes from the app and backup codes; wrong codes are refused and
counted; another organiser resets a lost device; everything is audited."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kipp.models import AuditEvent, LimitCount
from tests.factories import PASSWORD, InnovatorFactory, JudgeFactory, OrganiserFactory, UserFactory, VerifierFactory
from tests.outbox import sent_mail
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

ENROL = reverse("kipp:twofactor_enrol")
VERIFY = reverse("kipp:twofactor_verify")
BACKUP = reverse("kipp:twofactor_backup_codes")
LOGIN = reverse("kipp:login")
DASHBOARD = reverse("kipp:dashboard")


# ---- helpers ---------------------------------------------------------------------------------------------------


def app_code(device):
    """The code the person's app shows now, or the next one when this one was used already (django-otp refuses a
    code twice)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step)
    target = max(now_t + device.drift, device.last_t + 1)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, target - now_t):06d}"


def enrolled(user, backup_codes=("abcd2345", "efgh6723")):
    """A person with a confirmed authenticator and backup codes (made the way the enrol page makes them)."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in backup_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def sign_in_verified(client, user, device):
    sign_in(client, user)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 302 and not response.url.startswith(VERIFY)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def actions(user):
    return list(
        AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="twofactor.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def required(settings):
    settings.STAFF_2FA = "required"
    return settings


@pytest.fixture
def world(media_root):
    from tests.world import build_world

    return build_world()


def organiser_urls(world):
    competition, round_ = world.competition.slug, world.round.slug
    return [
        DASHBOARD,
        reverse("kipp:competitions"),
        reverse("kipp:invite"),
        reverse("kipp:profile"),
        reverse("judging:round_index"),
        reverse("judging:round_dashboard", args=[competition, round_]),
        reverse("judging:round_setup", args=[competition, round_]),
        reverse("judging:round_download", args=[competition, round_, "hasil", "csv"]),
        reverse("judging:round_download", args=[competition, round_, "nilai", "csv"]),
        reverse("kipp:twofactor_reset_list"),
        "/admin/",
        "/admin/kipp/user/",
    ]


# ---- settings --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "kipp.example.org"}, "required optional"),
        ({"DEBUG": "1"}, "optional optional"),
        ({"DEBUG": "1", "STAFF_2FA": "required", "JUDGE_2FA": "required"}, "required required"),
    ],
)
def test_staff_2fa_is_required_by_default_without_debug_and_optional_with_it(env, expected):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STAFF_2FA", "JUDGE_2FA"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="kipp.settings")
    code = "from django.conf import settings; print(settings.STAFF_2FA, settings.JUDGE_2FA)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == expected


def test_an_unknown_mode_refuses_to_start():
    environment = {**os.environ, "STAFF_2FA": "sometimes", "DJANGO_SETTINGS_MODULE": "kipp.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.STAFF_2FA"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "STAFF_2FA must be 'required' or 'optional'" in result.stderr


# ---- required: no page without the second factor ----------------------------------------------------------------


def test_with_required_an_organiser_without_a_device_is_sent_to_enrol_from_every_page(client, required, world):
    sign_in(client, world.organiser)
    for url in organiser_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{ENROL}?next={url.replace('/', '%2F')}", url


def test_with_required_every_url_pattern_sends_the_unverified_organiser_away(client, required):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    open_paths = {ENROL, VERIFY, BACKUP, reverse("kipp:logout"), reverse("kipp:health"), reverse("kipp:health_ready")}
    for route in project_routes(include_admin=True):
        url = route.url()
        if url in open_paths or url.startswith(("/i18n/", "/static/")):
            continue
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(ENROL), (route.name, url, response.status_code)
        response = client.post(url, {})
        assert response.status_code == 302 and response.url == ENROL, (route.name, url, response.status_code)


def test_a_superuser_reaches_the_admin_only_after_a_code(client, required):
    administrator = UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True)
    device = enrolled(administrator)
    sign_in(client, administrator)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == f"{VERIFY}?next=%2Fadmin%2F"
    response = client.post(VERIFY, {"code": app_code(device), "next": "/admin/"})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_a_session_that_owes_a_code(rf, settings):
    """Defence in depth: KippAdminSite.has_permission asks the same question as the middleware."""
    from django.contrib import admin

    administrator = UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.user = administrator
    request.user.otp_device = None
    settings.STAFF_2FA = "optional"
    assert admin.site.has_permission(request)
    enrolled(administrator)
    assert not admin.site.has_permission(request)
    TOTPDevice.objects.filter(user=administrator).delete()
    settings.STAFF_2FA = "required"
    assert not admin.site.has_permission(request)


def test_enrolment_shows_a_qr_code_and_the_secret_then_the_backup_codes_once(client, required, world):
    organiser = world.organiser
    sign_in(client, organiser)
    response = client.get(f"{ENROL}?next=/dasbor/")
    page = text(response)
    assert "<svg" in page and "Kode QR untuk aplikasi autentikator" in page
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    secret = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', page).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert client.get(ENROL).content.decode().count(secret) == 1  # a reload keeps the same secret
    assert TOTPDevice.objects.filter(user=organiser).count() == 1

    wrong = "000000" if app_code(device) != "000000" else "111111"
    response = client.post(ENROL, {"code": wrong, "next": "/dasbor/"})
    page = text(response)
    assert (
        "Kode tidak cocok. Masukkan kode 6 angka" in page
        and "kode cadangan" not in page.split("Kode tidak cocok")[1][:200]
    )
    assert f'value="{wrong}"' not in page  # the field is empty for the next code
    assert reverse("kipp:dashboard") not in page.split("<main", 1)[0]  # no menu that only leads back here
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(DASHBOARD).status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(ENROL, {"code": app_code(device), "next": "/dasbor/"})
    assert response.status_code == 302 and response.url == f"{BACKUP}?next=%2Fdasbor%2F"
    page = text(client.get(response.url))
    codes = re.findall(r"<li class=\"col\"><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10 and "Halaman ini hanya tampil sekali" in page
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=organiser).values_list("token", flat=True))
    again = client.get(BACKUP, follow=True)
    assert "Kode cadangan hanya ditampilkan sekali" in text(again) and codes[0] not in text(again)

    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    for url in organiser_urls(world)[:-2]:  # the admin is for portal administrators only
        assert client.get(url).status_code == 200, url
    assert "twofactor.enrolled" in actions(organiser)


def test_each_session_enrols_its_own_secret_and_the_owner_is_mailed(client, required, world):
    """Someone who has only the password opens the enrol page first and keeps the secret; the real person enrols in
    their own session later: the first secret is not theirs, gives no way in, and the owner learns of the
    enrolment by mail (issue 17 review: one pending secret shared by all sessions was a permanent second factor)."""
    from django.test import Client

    organiser = world.organiser
    intruder = Client()
    sign_in(intruder, organiser)
    intruder.get(ENROL)
    seen = TOTPDevice.objects.get(user=organiser, confirmed=False)
    intruder_secret = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', text(intruder.get(ENROL))).group(1)

    sign_in(client, organiser)
    page = text(client.get(ENROL))
    own_secret = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert own_secret != intruder_secret
    own = TOTPDevice.objects.get(user=organiser, confirmed=False, pk__gt=seen.pk)
    sent_mail().clear()
    response = client.post(ENROL, {"code": app_code(own)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=organiser).values_list("pk", flat=True)) == [own.pk]  # the other went
    assert [m.to for m in sent_mail()] == [[organiser.email]]
    assert "Aplikasi autentikator didaftarkan pada akun Anda" in sent_mail()[0].subject

    # the intruder's saved secret: its code confirms nothing and signs nobody in
    saved_code = f"{totp(seen.bin_key):06d}"
    response = intruder.post(ENROL, {"code": saved_code})
    assert TOTPDevice.objects.filter(user=organiser, confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(pk=seen.pk).exists()
    fresh = Client()
    sign_in(fresh, organiser)
    response = fresh.post(VERIFY, {"code": saved_code})
    assert "Kode tidak cocok" in text(response)
    assert fresh.get(DASHBOARD).status_code == 302


def test_with_required_a_signed_in_organiser_with_a_device_is_asked_for_a_code(client, required, world):
    device = enrolled(world.organiser)
    response = client.post(LOGIN, {"username": world.organiser.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=%2Fdasbor%2F"
    assert "Kata sandi Anda benar" in text(response)
    csv_url = organiser_urls(world)[7]
    response = client.get(csv_url)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = client.post(VERIFY, {"code": app_code(device), "next": csv_url})
    assert response.url == csv_url
    download = client.get(csv_url)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert actions(world.organiser) == ["twofactor.verified"]


# ---- verification: wrong codes, limits, backup codes ------------------------------------------------------------


def test_a_wrong_code_is_refused_counted_and_audited(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in(client, organiser)
    wrong = "123456" if app_code(device) != "123456" else "654321"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "Kode tidak cocok atau sudah dipakai" in text(response)
    assert client.get(DASHBOARD).url.startswith(VERIFY)
    assert LimitCount.objects.get(key=f"twofactor:{organiser.pk}").count == 1
    assert actions(organiser) == ["twofactor.verify_failed"]


def test_after_five_wrong_codes_even_the_right_one_is_refused(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in(client, organiser)
    right = app_code(device)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(settings.TWOFA_FAILURE_LIMIT):
        assert "Kode tidak cocok" in text(client.post(VERIFY, {"code": wrong}))
    response = client.post(VERIFY, {"code": right})
    assert "Terlalu banyak kode yang salah. Tunggu" in text(response)
    assert "minta penyelenggara lain mengatur ulang" in text(response)
    assert client.get(DASHBOARD).url.startswith(VERIFY)
    assert TOTPDevice.objects.get(pk=device.pk).last_t == -1  # the right code was not even tried
    assert "twofactor.locked" in actions(organiser)


def test_django_otp_back_off_applies_as_well(client):
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in(client, organiser)
    right = app_code(device)
    client.post(VERIFY, {"code": "123456" if right != "123456" else "654321"})
    response = client.post(VERIFY, {"code": right})  # within the second of back-off after a failure
    assert "Kode tidak cocok" in text(response)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1 and device.last_t == -1  # refused without being tried


def test_a_code_of_the_app_works_only_once(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in(client, organiser)
    code = app_code(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("kipp:logout"))
    sign_in(client, organiser)
    assert "Kode tidak cocok" in text(client.post(VERIFY, {"code": code}))


def test_a_backup_code_works_once(client, required):
    organiser = OrganiserFactory()
    enrolled(organiser, backup_codes=("abcd2345", "efgh6723"))
    sign_in(client, organiser)
    response = client.post(VERIFY, {"code": "ABCD 2345"}, follow=True)
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "Tersisa 1 kode" in text(response)
    assert list(StaticToken.objects.filter(device__user=organiser).values_list("token", flat=True)) == ["efgh6723"]
    assert actions(organiser) == ["twofactor.backup_code_used", "twofactor.verified"]
    assert AuditEvent.objects.get(action="twofactor.verified").details == {"method": "backup_code"}

    client.post(reverse("kipp:logout"))
    sign_in(client, organiser)
    response = client.post(VERIFY, {"code": "abcd2345"})
    assert "Kode tidak cocok atau sudah dipakai" in text(response)
    assert client.get(DASHBOARD).url.startswith(VERIFY)


def test_next_goes_only_to_this_site(client):
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in(client, organiser)
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://attacker.invalid/"})
    assert response.url == DASHBOARD


# ---- who is asked ----------------------------------------------------------------------------------------------


def test_optional_mode_leaves_organisers_without_a_device_free(client):
    assert django_settings.STAFF_2FA == "optional"
    organiser = OrganiserFactory()
    sign_in(client, organiser)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("kipp:competitions")).status_code == 200
    assert "Belum aktif" in text(client.get(reverse("kipp:profile")))


@pytest.mark.parametrize("factory", [JudgeFactory, VerifierFactory, InnovatorFactory])
def test_anyone_with_a_device_is_asked_for_a_code_even_in_optional_mode(client, factory):
    person = factory()
    device = enrolled(person)
    response = sign_in(client, person)
    assert client.get(response.url).url.startswith(VERIFY)
    assert client.get(reverse("judging:my_rounds")).url.startswith(VERIFY)
    client.post(VERIFY, {"code": app_code(device)})
    assert client.get(DASHBOARD).status_code == 200


def test_judge_2fa_required_makes_judges_and_verifiers_enrol_but_not_innovators(client, settings):
    settings.JUDGE_2FA = "required"
    for person in (JudgeFactory(), VerifierFactory()):
        client.force_login(person)
        assert client.get(DASHBOARD).url == f"{ENROL}?next=%2Fdasbor%2F"
    client.force_login(InnovatorFactory())
    assert client.get(DASHBOARD).status_code == 200
    client.force_login(OrganiserFactory())
    assert client.get(DASHBOARD).status_code == 200  # STAFF_2FA stays optional


def test_signing_out_and_the_language_switch_stay_open(client, required):
    organiser = OrganiserFactory()
    sign_in(client, organiser)
    response = client.post(reverse("set_language"), {"language": "en", "next": ENROL})
    assert response.status_code == 302 and response.url == ENROL
    assert client.post(reverse("kipp:logout")).status_code == 302
    assert client.get(DASHBOARD).url.startswith(LOGIN)


# ---- profile: new backup codes, removing the device ------------------------------------------------------------


def test_new_backup_codes_replace_the_old_ones_and_are_shown_once(client):
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in_verified(client, organiser, device)
    assert "Tersisa 2 kode cadangan" in text(client.get(reverse("kipp:profile")))
    response = client.post(reverse("kipp:twofactor_renew_backup_codes"), follow=True)
    codes = re.findall(r"<li class=\"col\"><code>([a-z2-7]{8})</code></li>", text(response))
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert "twofactor.backup_codes_renewed" in actions(organiser)


def test_new_backup_codes_need_a_verified_session(client):
    organiser = OrganiserFactory()
    enrolled(organiser)
    client.force_login(organiser)
    client.post(reverse("kipp:twofactor_renew_backup_codes"))
    assert StaticToken.objects.filter(token="abcd2345").exists()


def test_removing_ones_device_asks_for_a_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in_verified(client, organiser, device)
    url = reverse("kipp:twofactor_remove")
    response = client.post(url, {"code": "12345x"})
    assert "Kode tidak cocok" in text(response)
    assert TOTPDevice.objects.filter(user=organiser).exists()
    response = client.post(url, {"code": app_code(device)}, follow=True)
    assert "Verifikasi dua langkah dimatikan" in text(response)
    assert not TOTPDevice.objects.filter(user=organiser).exists()
    assert not StaticDevice.objects.filter(user=organiser).exists()
    assert "twofactor.removed" in actions(organiser)
    settings.STAFF_2FA = "required"
    assert client.get(DASHBOARD).url.startswith(ENROL)


# ---- reset by another organiser ---------------------------------------------------------------------------------


def test_another_organiser_resets_a_lost_device_with_a_reason(client, required):
    colleague = OrganiserFactory(full_name="Andi Penyelenggara")
    colleague_device = enrolled(colleague)
    owner = OrganiserFactory(full_name="Budi Pemilik", email="budi@example.org")
    enrolled(owner)
    sign_in_verified(client, colleague, colleague_device)
    page = text(client.get(reverse("kipp:twofactor_reset_list")))
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Budi Pemilik" in rows and "Andi Penyelenggara" not in rows
    url = reverse("kipp:twofactor_reset", args=[owner.pk])

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and TOTPDevice.objects.filter(user=owner).exists()
    assert len(sent_mail()) == 0

    response = client.post(url, {"reason": "Ponsel hilang, dikonfirmasi lewat telepon"}, follow=True)
    assert "Verifikasi dua langkah Budi Pemilik diatur ulang" in text(response)
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not StaticToken.objects.filter(device__user=owner).exists()
    event = AuditEvent.objects.get(action="twofactor.reset")
    assert event.actor == colleague and event.object_id == str(owner.pk)
    assert event.details["reason"] == "Ponsel hilang, dikonfirmasi lewat telepon"
    assert [m.to for m in sent_mail()] == [["budi@example.org"]]
    assert "Andi Penyelenggara mengatur ulang verifikasi dua langkah" in sent_mail()[0].body
    assert "Ponsel hilang" in sent_mail()[0].body

    client.post(reverse("kipp:logout"))
    owner.refresh_from_db()
    assert not owner.has_usable_password()  # a new password first (the link in the mail), then a new device
    assert "/akun/atur-sandi/" in sent_mail()[0].body


def test_nobody_resets_their_own_device(client):
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    sign_in_verified(client, organiser, device)
    response = client.post(reverse("kipp:twofactor_reset", args=[organiser.pk]), {"reason": "Ponsel hilang"})
    assert response.status_code == 403
    assert "tidak dapat mengatur ulang verifikasi dua langkah Anda sendiri" in text(response)
    assert TOTPDevice.objects.filter(user=organiser).exists()
    assert not AuditEvent.objects.filter(action="twofactor.reset").exists()


def test_an_organiser_who_did_not_give_a_code_cannot_reset_anyone(client):
    organiser = OrganiserFactory()  # optional mode, no device of their own
    owner = OrganiserFactory()
    enrolled(owner)
    client.force_login(organiser)
    assert "Aktifkan dulu verifikasi dua langkah" in text(client.get(reverse("kipp:twofactor_reset_list")))
    response = client.post(reverse("kipp:twofactor_reset", args=[owner.pk]), {"reason": "Ponsel hilang"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=owner).exists()
    assert len(sent_mail()) == 0


@pytest.mark.parametrize("factory", [JudgeFactory, VerifierFactory, InnovatorFactory])
def test_only_organisers_reset(client, factory):
    person = factory()
    device = enrolled(person)
    owner = OrganiserFactory()
    enrolled(owner)
    sign_in_verified(client, person, device)
    assert client.get(reverse("kipp:twofactor_reset_list")).status_code == 403
    assert client.post(reverse("kipp:twofactor_reset", args=[owner.pk]), {"reason": "Ponsel hilang"}).status_code == 403
    assert TOTPDevice.objects.filter(user=owner).exists()


def test_an_organiser_does_not_reset_a_portal_administrator(client):
    organiser = OrganiserFactory()
    device = enrolled(organiser)
    administrator = UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True)
    enrolled(administrator)
    sign_in_verified(client, organiser, device)
    response = client.post(reverse("kipp:twofactor_reset", args=[administrator.pk]), {"reason": "Ponsel hilang"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_a_reset_ends_the_verified_sessions_of_the_owner(client, required):
    from django.test import Client

    owner = OrganiserFactory()
    owner_device = enrolled(owner)
    owner_client = Client()
    sign_in_verified(owner_client, owner, owner_device)
    assert owner_client.get(DASHBOARD).status_code == 200
    colleague = OrganiserFactory()
    colleague_device = enrolled(colleague)
    sign_in_verified(client, colleague, colleague_device)
    client.post(reverse("kipp:twofactor_reset", args=[owner.pk]), {"reason": "Ponsel dicuri"})
    # the session left open on the stolen device is signed out: it can neither go on nor enrol a new authenticator
    # without the password (issue 17 review)
    response = owner_client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    response = owner_client.get(ENROL)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert AuditEvent.objects.get(action="twofactor.reset").details["sessions_ended"] == 1
    assert client.get(DASHBOARD).status_code == 200  # the colleague who reset it stays signed in
    # the old password went too (whoever stole it must not be the next to enrol): the owner sets a new one through
    # the link in the reset mail, then signs in and enrols
    owner.refresh_from_db()
    assert not owner.has_usable_password()
    refused = Client().post(LOGIN, {"username": owner.email, "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    reset_mail = [m for m in sent_mail() if m.to == [owner.email]][-1]
    link = re.search(r"https?://[^\s]+/akun/atur-sandi/[^\s]+", reset_mail.body).group(0)
    form_page = owner_client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]), follow=True)
    new_password = "Ponsel-Baru-2026-aman"
    response = owner_client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(new_password)
    response = owner_client.post(LOGIN, {"username": owner.email, "password": new_password})
    assert response.status_code == 302
    assert owner_client.get(DASHBOARD).url.startswith(ENROL)


def test_wrong_codes_after_the_right_password_mail_the_owner_once(client, required):
    owner = OrganiserFactory()
    enrolled(owner)
    sign_in(client, owner)
    sent_mail().clear()
    for _ in range(8):
        client.post(VERIFY, {"code": "000001"})
    locked = [m for m in sent_mail() if "Kode verifikasi yang salah" in m.subject]
    assert [m.to for m in locked] == [[owner.email]]
    assert "/akun/lupa-sandi/" in locked[0].body


def test_two_sessions_confirming_at_once_one_wins_and_the_other_is_told(client, required, world):
    from django.test import Client

    organiser = world.organiser
    other = Client()
    sign_in(client, organiser)
    sign_in(other, organiser)
    client.get(ENROL)
    other.get(ENROL)
    first, second = TOTPDevice.objects.filter(user=organiser, confirmed=False).order_by("pk")
    assert client.post(ENROL, {"code": app_code(first)}).status_code == 302
    # the other session's device was removed by the first confirmation; its code is refused with a message
    response = other.post(ENROL, {"code": f"{totp(second.bin_key):06d}"})
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=organiser, confirmed=True).count() == 1


def test_opening_the_enrol_page_in_many_sessions_keeps_a_bounded_number_of_pending_secrets(client, required):
    from django.test import Client

    organiser = OrganiserFactory()
    for _ in range(12):
        session = Client()
        sign_in(session, organiser)
        session.get(ENROL)
    assert TOTPDevice.objects.filter(user=organiser, confirmed=False).count() <= 5


def test_the_pages_speak_english_too(client):
    organiser = OrganiserFactory(language="en")
    enrolled(organiser)
    sign_in(client, organiser)
    client.cookies["django_language"] = "en"
    page = text(client.get(VERIFY))
    assert "Your password is right" in page and "Kata sandi Anda benar" not in page
    assert "The code does not match" in text(client.post(VERIFY, {"code": "zzzz"}))
