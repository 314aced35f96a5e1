"""The Django admin: for portal administrators (active superusers) only, view-only for the records that only the
portal's services write, no account creation or password setting, and every change also in the audit log."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from judging.models import Conflict
from kipp.models import AuditEvent, User
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CompetitionFactory,
    EntryFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganisationFactory,
    OrganiserFactory,
    UserFactory,
    VerifierFactory,
    kinds_of,
    region,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sandi-Panjang-2027"


def _superuser(**kwargs):
    return UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True, **kwargs)


def _password_payload():
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}


def _new_account_payload(role="organiser"):
    return {"email": "baru@example.org", "full_name": "Pengguna Baru", "role": role, **_password_payload()}


ADMIN_PAGES = [
    "admin:index",
    "admin:kipp_user_changelist",
    "admin:kipp_agency_changelist",
    "admin:kipp_region_changelist",
    "admin:kipp_competition_changelist",
    "admin:kipp_competition_add",
    "admin:kipp_auditevent_changelist",
    "admin:judging_conflict_changelist",
    "admin:judging_scoresheet_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_portal_administrator_opens_the_admin_pages(client, name):
    client.force_login(_superuser())
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "admin:kipp_user_add"])
@pytest.mark.parametrize("factory", [OrganiserFactory, InnovatorFactory, JudgeFactory, VerifierFactory])
def test_organisers_and_other_roles_cannot_open_the_admin(client, factory, name):
    user = factory()
    assert factory is not OrganiserFactory or user.is_staff  # organisers keep is_staff: it no longer opens the admin
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_inactive_superuser_cannot_open_the_admin(client):
    client.force_login(_superuser(is_active=False))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_an_organiser_cannot_set_the_superusers_password(client):
    admin_user = _superuser()
    client.force_login(OrganiserFactory())
    response = client.post(reverse("admin:auth_user_password_change", args=[admin_user.pk]), _password_payload())
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD) and not admin_user.check_password(NEW_PASSWORD)
    client.logout()
    response = client.post(reverse("kipp:login"), {"username": admin_user.email, "password": NEW_PASSWORD})
    assert response.status_code == 200  # the login form again: the new password does not sign in


def test_an_organiser_cannot_create_a_second_organiser(client):
    client.force_login(OrganiserFactory())
    response = client.post(reverse("admin:kipp_user_add"), _new_account_payload())
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not User.objects.filter(email="baru@example.org").exists()


def test_nobody_sets_another_persons_password_or_creates_accounts_in_the_admin(client):
    client.force_login(_superuser())
    other = OrganiserFactory()
    response = client.post(reverse("admin:auth_user_password_change", args=[other.pk]), _password_payload())
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.check_password(PASSWORD) and not other.check_password(NEW_PASSWORD)
    assert client.get(reverse("admin:kipp_user_add")).status_code == 403
    assert client.post(reverse("admin:kipp_user_add"), _new_account_payload()).status_code == 403
    assert not User.objects.filter(email="baru@example.org").exists()


def test_an_administrator_cannot_promote_an_account_or_change_its_email(client):
    client.force_login(_superuser())
    innovator = InnovatorFactory(full_name="Nama Lama")
    url = reverse("admin:kipp_user_change", args=[innovator.pk])
    html = client.get(url).content.decode()
    assert 'name="role"' not in html and 'name="is_superuser"' not in html and 'name="email"' not in html
    response = client.post(
        url,
        {
            "email": "pengambil-alih@example.org",
            "full_name": "Nama Baru",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": OrganisationFactory().pk,
            "memberships-0-kind": "organiser",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "agency": innovator.agency.pk,
            "language": innovator.language,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    innovator.refresh_from_db()
    assert innovator.full_name == "Nama Baru"  # a profile correction is allowed ...
    assert (kinds_of(innovator), innovator.is_superuser, innovator.is_staff) == (set(), False, False)  # ... no more
    assert innovator.email.endswith("@example.org") and innovator.email != "pengambil-alih@example.org"
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(innovator.pk))
    assert event.details["model"] == "kipp.User" and event.details["via"] == "admin"


def test_every_admin_change_is_in_the_audit_log(client):
    admin_user = _superuser()
    client.force_login(admin_user)
    agency = AgencyFactory(name="Dinas Lama")
    response = client.post(
        reverse("admin:kipp_agency_change", args=[agency.pk]),
        {"name": "Dinas Baru", "short_name": "", "kind": agency.kind, "region": agency.region.pk, "parent": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = AuditEvent.objects.get(action="admin.changed", object_id=str(agency.pk))
    assert changed.actor == admin_user
    assert changed.details["model"] == "kipp.Agency"
    assert "changed" in changed.details["message"][0]

    response = client.post(reverse("admin:kipp_agency_delete", args=[agency.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEvent.objects.get(action="admin.deleted", object_id=str(agency.pk))
    assert (deleted.actor, deleted.object_repr) == (admin_user, "Dinas Baru")


def _conflict():
    entry = EntryFactory()
    return Conflict.objects.create(
        competition=entry.competition, judge=JudgeFactory(), entry=entry, source="declared", reason="Kerabat"
    )


def test_conflicts_score_sheets_and_the_audit_log_are_view_only_in_the_admin(client):
    client.force_login(_superuser())
    conflict = _conflict()
    original_entry = conflict.entry
    other_entry = EntryFactory(competition=original_entry.competition)
    url = reverse("admin:judging_conflict_change", args=[conflict.pk])
    assert 'name="entry"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "competition": conflict.competition.pk,
            "judge": conflict.judge.pk,
            "entry": other_entry.pk,
            "source": conflict.source,
            "reason": conflict.reason,
        },
    )
    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.entry == original_entry
    assert client.post(reverse("admin:judging_conflict_delete", args=[conflict.pk]), {"post": "yes"}).status_code == 403
    assert Conflict.objects.filter(pk=conflict.pk).exists()
    for name in ("admin:judging_conflict_add", "admin:judging_scoresheet_add", "admin:kipp_auditevent_add"):
        assert client.get(reverse(name)).status_code == 403, name
    event = AuditEvent.objects.first()
    if event is not None:
        assert client.post(reverse("admin:kipp_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403


def test_agency_search_and_region_filter(client):
    client.force_login(_superuser())
    AgencyFactory(name="Dinas Perhubungan Kabupaten Jeneponto")
    AgencyFactory(name="Dinas Kesehatan Kota Makassar", region=region("73.71"))
    html = client.get(reverse("admin:kipp_agency_changelist"), {"q": "Perhubungan"}).content.decode()
    assert "Dinas Perhubungan Kabupaten Jeneponto" in html
    assert "Dinas Kesehatan Kota Makassar" not in html


def test_organisers_see_no_link_into_the_admin(client):
    CompetitionFactory()
    client.force_login(OrganiserFactory())
    html = client.get(reverse("kipp:competitions")).content.decode()
    assert "/admin/" not in html
    assert "Ubah di admin" not in html
    html = client.get(reverse("kipp:dashboard")).content.decode()
    assert 'href="/admin/"' not in html


def test_organisers_are_created_at_the_server_by_the_person_typing_their_own_password(client, monkeypatch):
    monkeypatch.setenv("KIPP_ORGANISER_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError, match="--organisation"):  # no organisation yet: the administrator makes it first
        call_command("create_organiser", "awal@example.org", "Awal", "--noinput", stdout=io.StringIO())
    organisation = OrganisationFactory()
    call_command(
        "create_organiser", "Penyelenggara@Example.org", "Penyelenggara Baru", "--noinput", stdout=io.StringIO()
    )
    user = User.objects.get(email="penyelenggara@example.org")
    assert (kinds_of(user), user.is_superuser, user.is_staff) == (
        {(organisation.slug, "organiser", None)},
        False,
        False,
    )
    other = OrganisationFactory(slug="kemenpanrb-uji")
    with pytest.raises(CommandError, match="--organisation"):  # two organisations: which one must be said
        call_command("create_organiser", "kedua@example.org", "Kedua", "--noinput", stdout=io.StringIO())
    call_command(
        "create_organiser",
        "kedua@example.org",
        "Kedua",
        "--noinput",
        "--organisation",
        other.slug,
        stdout=io.StringIO(),
    )
    assert kinds_of(User.objects.get(email="kedua@example.org")) == {(other.slug, "organiser", None)}
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.created", object_id=str(user.pk)).exists()
    with pytest.raises(CommandError):
        call_command("create_organiser", "penyelenggara@example.org", "Lagi", "--noinput", stdout=io.StringIO())
    monkeypatch.setenv("KIPP_ORGANISER_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_organiser", "lain@example.org", "Lain", "--noinput", stdout=io.StringIO())
    assert not User.objects.filter(email="lain@example.org").exists()
