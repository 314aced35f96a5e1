"""Sign-up with email verification, login messages, profile, password reset and change."""

import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from kipp.models import AuditEvent, User
from kipp.tokens import make_email_verification_token
from tests.factories import PASSWORD, AgencyFactory, InnovatorFactory, JudgeFactory, OrganiserFactory, region
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Inovasi-Rumbia-2027"


def _signup_data(agency, **overrides):
    data = {
        "email": "Suhaedir@Example.org",
        "full_name": "Dr. Suhaedir Bahtiar",
        "position": "Kepala UPT SMPN 2 Rumbia",
        "phone": "0812 3456 7890",
        "agency": str(agency.pk),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def _link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def _served_at(client, settings, host="kipp.example.org"):
    """The portal reached at https://<host>/ behind its TLS proxy (links in the emails it sends from a request
    point there)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.defaults.update({"HTTP_HOST": host, "HTTP_X_FORWARDED_PROTO": "https"})


def test_signup_page_groups_agencies_by_region_without_javascript(client):
    AgencyFactory(name="Dinas Pendidikan Kabupaten Jeneponto")
    AgencyFactory(name="Dinas Kesehatan Kota Makassar", region=region("73.71"))
    html = client.get(reverse("kipp:signup")).content.decode()
    assert '<optgroup label="Kabupaten Jeneponto">' in html
    assert '<optgroup label="Kota Makassar">' in html
    assert html.index("Kabupaten Jeneponto") < html.index("Dinas Pendidikan Kabupaten Jeneponto")


def test_signup_creates_inactive_innovator_and_emails_a_verification_link(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _served_at(client, settings)
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia")
    response = client.post(reverse("kipp:signup"), _signup_data(agency), follow=True)

    assert "suhaedir@example.org" in response.content.decode()
    user = User.objects.get(email="suhaedir@example.org")
    assert (user.is_active, user.email_verified_at, user.agency) == (False, None, agency)
    assert not user.memberships.exists()  # an innovator: a member of their agency, of no organisation
    assert user.position == "Kepala UPT SMPN 2 Rumbia"
    assert user.check_password(NEW_PASSWORD)
    assert len(sent_mail()) == 1
    assert sent_mail()[0].to == ["suhaedir@example.org"]
    assert _link_in(sent_mail()[0]).startswith("https://kipp.example.org/akun/verifikasi/")
    assert AuditEvent.objects.filter(action="account.signed_up", object_id=str(user.pk)).exists()


def test_unverified_account_gets_a_clear_message_at_login_not_the_generic_one(client):
    agency = AgencyFactory()
    client.post(reverse("kipp:signup"), _signup_data(agency))
    response = client.post(reverse("kipp:login"), {"username": "suhaedir@example.org", "password": NEW_PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "belum diverifikasi" in html
    assert "Kirim ulang tautan verifikasi" in html
    assert "Email atau kata sandi salah" not in html
    # a wrong password for the same account still gets the generic message
    response = client.post(reverse("kipp:login"), {"username": "suhaedir@example.org", "password": "salah-sekali-1"})
    assert "Email atau kata sandi salah" in response.content.decode()
    assert "belum diverifikasi" not in response.content.decode()


def test_verification_link_activates_the_account_and_the_user_can_log_in(client):
    agency = AgencyFactory()
    client.post(reverse("kipp:signup"), _signup_data(agency))
    response = client.get(_path(_link_in(sent_mail()[0])), follow=True)
    assert "sudah terverifikasi" in response.content.decode()
    user = User.objects.get(email="suhaedir@example.org")
    assert user.is_active and user.email_verified_at is not None
    assert AuditEvent.objects.filter(action="account.email_verified", object_id=str(user.pk)).count() == 1

    response = client.post(
        reverse("kipp:login"), {"username": "SUHAEDIR@example.org", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("kipp:dashboard")
    assert "Selamat datang, Dr. Suhaedir Bahtiar" in response.content.decode()

    # opening the link a second time changes nothing and says so
    response = client.get(_path(_link_in(sent_mail()[0])), follow=True)
    assert "sudah terverifikasi sebelumnya" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.email_verified", object_id=str(user.pk)).count() == 1


def test_expired_verification_link_says_so_and_offers_a_resend(client, settings):
    user = InnovatorFactory(is_active=False, email_verified_at=None, email="lambat@example.org")
    token = make_email_verification_token(user)
    settings.EMAIL_VERIFICATION_MAX_AGE = -1  # every link is now too old
    response = client.get(reverse("kipp:verify_email", kwargs={"token": token}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "sudah kedaluwarsa" in html
    assert 'value="lambat@example.org"' in html  # the resend form knows the address
    user.refresh_from_db()
    assert not user.is_active

    settings.EMAIL_VERIFICATION_MAX_AGE = 3600
    response = client.post(reverse("kipp:resend_verification"), {"email": "lambat@example.org"}, follow=True)
    assert "tautan verifikasi baru sudah kami kirim" in response.content.decode()
    assert len(sent_mail()) == 1
    client.get(_path(_link_in(sent_mail()[0])))
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None


def test_tampered_verification_link_is_refused(client):
    user = InnovatorFactory(is_active=False, email_verified_at=None)
    token = make_email_verification_token(user)
    response = client.get(reverse("kipp:verify_email", kwargs={"token": token[:-3] + "abc"}))
    assert response.status_code == 400
    assert "tidak valid" in response.content.decode()
    forged = signing.dumps({"uid": user.pk, "email": user.email}, salt="another-salt", compress=True)
    assert client.get(reverse("kipp:verify_email", kwargs={"token": forged})).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_resend_does_not_tell_which_addresses_exist_and_skips_verified_accounts(client):
    InnovatorFactory(email="aktif@example.org")
    for email in ("aktif@example.org", "tidak-ada@example.org"):
        response = client.post(reverse("kipp:resend_verification"), {"email": email}, follow=True)
        assert "Jika " + email in response.content.decode()
    assert sent_mail() == []


def test_signup_rejects_mismatched_and_weak_passwords(client):
    agency = AgencyFactory()
    response = client.post(reverse("kipp:signup"), _signup_data(agency, password2="Inovasi-Lain-2027"))
    assert "Kedua kata sandi tidak sama" in response.content.decode()
    response = client.post(
        reverse("kipp:signup"), _signup_data(agency, password1="12345678901", password2="12345678901")
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="suhaedir@example.org").exists()


def test_signed_in_user_is_sent_from_signup_to_the_dashboard(client):
    client.force_login(InnovatorFactory())
    assert client.get(reverse("kipp:signup")).url == reverse("kipp:dashboard")


def test_profile_edit_saves_and_switches_language(client):
    user = InnovatorFactory(full_name="Nama Lama")
    client.force_login(user)
    response = client.post(
        reverse("kipp:profile"),
        {"full_name": "Nama Baru", "position": "Kepala Seksi", "phone": "0411 123", "language": "en"},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.full_name, user.position, user.phone, user.language) == ("Nama Baru", "Kepala Seksi", "0411 123", "en")
    event = AuditEvent.objects.get(action="account.profile_updated", object_id=str(user.pk))
    assert event.details["full_name"] == "Nama Baru"
    page = client.get(reverse("kipp:profile")).content.decode()
    assert "Nama Baru" in page


def test_profile_requires_login(client):
    response = client.get(reverse("kipp:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("kipp:login"))


@pytest.mark.parametrize("factory", [InnovatorFactory, JudgeFactory, OrganiserFactory])
def test_every_role_can_open_its_profile(client, factory):
    user = factory()
    client.force_login(user)
    response = client.get(reverse("kipp:profile"))
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_password_change_keeps_the_session_and_the_new_password_works(client):
    user = InnovatorFactory()
    client.force_login(user)
    response = client.post(
        reverse("kipp:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Kata sandi diganti" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("kipp:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_changed", object_id=str(user.pk)).exists()


def test_password_reset_email_uses_site_url_and_the_link_sets_a_new_password(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _served_at(client, settings)
    user = InnovatorFactory(email="lupa@example.org")
    client.post(reverse("kipp:password_reset"), {"email": "lupa@example.org"})
    assert len(sent_mail()) == 1
    link = _link_in(sent_mail()[0])
    assert link.startswith("https://kipp.example.org/akun/atur-sandi/")
    response = client.get(_path(link), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Kata sandi tersimpan" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(user.pk)).exists()


def test_login_logout_and_failures_are_audited(client):
    user = InnovatorFactory(email="audit@example.org")
    client.post(reverse("kipp:login"), {"username": "audit@example.org", "password": "salah-sekali-1"})
    client.post(reverse("kipp:login"), {"username": "audit@example.org", "password": PASSWORD})
    client.post(reverse("kipp:logout"))
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["account.login_failed", "account.logged_in", "account.logged_out"]
    failed = AuditEvent.objects.get(action="account.login_failed")
    assert failed.details == {"email": "audit@example.org"}
    assert failed.ip_address == "127.0.0.1"
    assert AuditEvent.objects.get(action="account.logged_in").actor == user


def test_logout_needs_post(client):
    client.force_login(InnovatorFactory())
    assert client.get(reverse("kipp:logout")).status_code == 405
    assert client.post(reverse("kipp:logout")).status_code == 302
    assert client.get(reverse("kipp:dashboard")).status_code == 302


def test_login_uses_the_users_language_preference(client):
    InnovatorFactory(email="english@example.org", language="en")
    response = client.post(reverse("kipp:login"), {"username": "english@example.org", "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"


def test_a_language_picked_before_login_is_kept(client):
    InnovatorFactory(email="indonesian@example.org", language="id")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("kipp:login"), {"username": "indonesian@example.org", "password": PASSWORD}, follow=True
    )
    assert "Welcome," in response.content.decode()


def test_language_switch_of_a_signed_in_user_becomes_the_preference(client):
    user = InnovatorFactory(language="id")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEvent.objects.filter(action="account.profile_updated", object_id=str(user.pk)).exists()


def test_email_verified_at_is_set_only_by_verification(client):
    user = InnovatorFactory(is_active=False, email_verified_at=None)
    before = timezone.now()
    client.get(reverse("kipp:verify_email", kwargs={"token": make_email_verification_token(user)}))
    user.refresh_from_db()
    assert user.email_verified_at >= before
