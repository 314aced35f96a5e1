"""A sign-up into an agency is pending until a confirmed member of the agency, the region's verifier or an organiser
confirms it: while pending the person may write drafts of their own, and acts for the agency in nothing else (the
services refuse, not only the pages)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entries import services as entry_services
from entries.models import Entry
from judging.models import ReplicationRequest
from judging.records import services as records_services
from judging.scoring.services import JudgingError
from kipp import services_accounts
from kipp.models import AuditEvent, User
from kipp.permissions import can_confirm_member, is_agency_innovator
from tests.factories import (
    AgencyFactory,
    CompetitionFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganiserFactory,
    VerifierFactory,
    region,
)
from tests.judging.records.helpers import published_world
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "Inovasi-Rumbia-2027"


def _pending(agency, **fields):
    return InnovatorFactory(agency=agency, agency_confirmed_at=None, **fields)


def test_a_sign_up_is_pending_and_the_demo_style_accounts_are_confirmed(client):
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia")
    client.post(
        reverse("kipp:signup"),
        {
            "email": "penyusup@example.org",
            "full_name": "Penyusup",
            "agency": str(agency.pk),
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    user = User.objects.get(email="penyusup@example.org")
    assert user.agency_confirmed_at is None and user.agency_pending
    assert not is_agency_innovator(user, agency.pk)
    made_by_code = User.objects.create_user("lama@example.org", "x", full_name="Lama", agency=agency)
    assert made_by_code.agency_confirmed_at is not None  # demo seeding, administrators


def test_a_pending_member_is_refused_by_the_services_on_the_agencys_entries_records_and_replications():
    world = published_world()
    e1 = world["entries"]["E1"]
    record = world["records"][e1.code]
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Kota Makassar"))
    replication = records_services.request_replication(record=record, actor=requester, plan="Rencana.", notify=False)
    intruder = _pending(e1.agency, email="penyusup@example.org")
    status = Entry.objects.get(pk=e1.pk).status

    with pytest.raises(PermissionDenied, match="belum dikonfirmasi"):
        entry_services.withdraw_entry(entry=e1, user=intruder)
    with pytest.raises(JudgingError, match="belum dikonfirmasi"):
        records_services.update_record(record=record, actor=intruder, is_running=False, stop_reason="Berhenti.")
    with pytest.raises(JudgingError, match="belum dikonfirmasi"):
        records_services.answer_replication(replication=replication, actor=intruder, agree=True, notify=False)
    with pytest.raises(JudgingError, match="belum dikonfirmasi"):
        records_services.request_replication(
            record=world["records"][world["entries"]["E2"].code], actor=intruder, plan="Rencana.", notify=False
        )

    assert Entry.objects.get(pk=e1.pk).status == status
    record.refresh_from_db()
    assert record.is_running
    assert ReplicationRequest.objects.get(pk=replication.pk).state == "requested"


def test_a_pending_member_writes_drafts_of_their_own_but_cannot_submit_them():
    competition = CompetitionFactory()
    agency = AgencyFactory(name="UPT SMPN 2 Rumbia", region=region("73.04"))
    member = InnovatorFactory(agency=agency)
    theirs = entry_services.create_entry(user=member, competition=competition, title="Inovasi anggota")
    pending = _pending(agency)
    mine = entry_services.create_entry(user=pending, competition=competition, title="Draf saya")
    entry_services.save_draft(entry=mine, user=pending, version=mine.version, profile={"short_name": "DS"})
    assert Entry.objects.get(pk=mine.pk).short_name == "DS"

    with pytest.raises(PermissionDenied) as refused:
        entry_services.submit_entry(entry=mine, user=pending)
    message = str(refused.value)
    assert "belum dikonfirmasi" in message and "Kabupaten Jeneponto" in message and "penyelenggara" in message
    with pytest.raises(PermissionDenied):
        entry_services.save_draft(entry=theirs, user=pending, version=theirs.version, profile={"short_name": "X"})
    assert Entry.objects.get(pk=mine.pk).status == "draft"


@pytest.mark.parametrize("confirmer", ["member", "verifier", "organiser"])
def test_confirm_membership_by_each_role_that_may(confirmer):
    agency = AgencyFactory(region=region("73.04"))
    people = {
        "member": lambda: InnovatorFactory(agency=agency),
        "verifier": lambda: VerifierFactory(region=region("73.04")),
        "organiser": OrganiserFactory,
    }
    actor = people[confirmer]()
    pending = _pending(agency, email="baru@example.org")
    services_accounts.confirm_membership(member=pending, actor=actor)

    pending.refresh_from_db()
    assert pending.agency_confirmed_at is not None and pending.agency_confirmed_by == actor
    assert is_agency_innovator(pending, agency.pk)
    event = AuditEvent.objects.get(action="account.membership_confirmed", object_id=str(pending.pk))
    assert event.actor == actor
    assert sent_mail()[-1].to == ["baru@example.org"]
    assert agency.name in sent_mail()[-1].subject


def test_confirm_membership_is_refused_to_everyone_else():
    agency = AgencyFactory(region=region("73.04"))
    pending = _pending(agency)
    refused = [
        InnovatorFactory(agency=AgencyFactory(region=region("73.04"))),  # another agency
        VerifierFactory(region=region("73.71")),  # another region's verifier
        JudgeFactory(),
        _pending(agency),  # another pending sign-up of the same agency
        pending,  # oneself
    ]
    for actor in refused:
        assert not can_confirm_member(actor, pending)
        with pytest.raises(PermissionDenied):
            services_accounts.confirm_membership(member=pending, actor=actor)
    pending.refresh_from_db()
    assert pending.agency_confirmed_at is None
    assert not AuditEvent.objects.filter(action="account.membership_confirmed").exists()


def test_decline_membership_keeps_the_person_out_and_tells_them():
    agency = AgencyFactory()
    organiser = OrganiserFactory()
    pending = _pending(agency, email="baru@example.org")
    services_accounts.decline_membership(member=pending, actor=organiser)
    pending.refresh_from_db()
    assert pending.agency_declined_at is not None and pending.agency_confirmed_at is None
    assert AuditEvent.objects.filter(action="account.membership_declined", object_id=str(pending.pk)).exists()
    assert "tidak dikonfirmasi" in sent_mail()[-1].subject
    assert not can_confirm_member(organiser, pending)  # decided once
    assert not is_agency_innovator(pending, agency.pk)


def test_the_database_refuses_inconsistent_confirmations():
    organiser = OrganiserFactory()
    pending = _pending(AgencyFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=pending.pk).update(agency_confirmed_by=organiser)  # confirmed by someone, at no time
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=pending.pk).update(agency_confirmed_at=timezone.now(), agency_declined_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=pending.pk).update(agency_confirmed_at=timezone.now(), agency_confirmed_by=pending)


# The page ------------------------------------------------------------------------------------------------


def test_pending_members_page_for_each_role(client):
    agency = AgencyFactory(region=region("73.04"), name="UPT SMPN 2 Rumbia")
    pending = _pending(agency, full_name="Pendaftar Baru")
    _pending(AgencyFactory(region=region("73.71"), name="Dinas Kota"), full_name="Pendaftar Makassar")
    unverified = _pending(agency, full_name="Belum Verifikasi", is_active=False, email_verified_at=None)
    seen = {
        "member": (InnovatorFactory(agency=agency), ["Pendaftar Baru"], ["Pendaftar Makassar"]),
        "verifier": (VerifierFactory(region=region("73.04")), ["Pendaftar Baru"], ["Pendaftar Makassar"]),
        "other_verifier": (VerifierFactory(region=region("73.71")), ["Pendaftar Makassar"], ["Pendaftar Baru"]),
        "organiser": (OrganiserFactory(), ["Pendaftar Baru", "Pendaftar Makassar"], []),
        "other_innovator": (InnovatorFactory(), [], ["Pendaftar Baru", "Pendaftar Makassar"]),
    }
    for role, (user, present, absent) in seen.items():
        client.force_login(user)
        html = client.get(reverse("kipp:pending_members")).content.decode()
        for name in present:
            assert name in html, (role, name)
        for name in absent + [unverified.full_name]:
            assert name not in html, (role, name)
    for user in (pending, JudgeFactory()):
        client.force_login(user)
        assert client.get(reverse("kipp:pending_members")).status_code == 403
    client.logout()
    assert client.get(reverse("kipp:pending_members")).status_code == 302


def test_confirm_and_decline_through_the_page_without_javascript(client):
    agency = AgencyFactory(region=region("73.04"))
    member = InnovatorFactory(agency=agency)
    first, second = _pending(agency, full_name="Pertama"), _pending(agency, full_name="Kedua")
    client.force_login(member)
    url = reverse("kipp:decide_membership", args=[first.pk])
    response = client.post(url, {"decision": "confirm"}, follow=True)
    assert "Pertama kini anggota terkonfirmasi" in response.content.decode()
    response = client.post(reverse("kipp:decide_membership", args=[second.pk]), {"decision": "decline"}, follow=True)
    assert "ditolak" in response.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert first.agency_confirmed_by == member and second.agency_declined_at is not None

    stranger = InnovatorFactory()
    third = _pending(agency)
    client.force_login(stranger)
    assert client.post(reverse("kipp:decide_membership", args=[third.pk]), {"decision": "confirm"}).status_code == 403
    third.refresh_from_db()
    assert third.agency_confirmed_at is None


def test_pending_members_page_query_count_is_the_same_for_one_and_many(client):
    from django.db import connection

    agency = AgencyFactory()
    client.force_login(OrganiserFactory())
    _pending(agency)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("kipp:pending_members"))
    for _n in range(5):
        _pending(AgencyFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kipp:pending_members"))
    assert response.content.decode().count('name="decision" value="confirm"') == 6
    assert len(many) == len(one)


def test_the_dashboard_tells_a_pending_member_who_can_confirm_and_a_member_who_waits(client):
    agency = AgencyFactory(region=region("73.04"), name="UPT SMPN 2 Rumbia")
    pending = _pending(agency)
    client.force_login(pending)
    html = client.get(reverse("kipp:dashboard")).content.decode()
    assert "Keanggotaan Anda pada UPT SMPN 2 Rumbia belum dikonfirmasi" in html
    client.force_login(InnovatorFactory(agency=agency))
    html = client.get(reverse("kipp:dashboard")).content.decode()
    assert "1 anggota baru menunggu konfirmasi Anda" in html
    assert reverse("kipp:pending_members") in html


def test_a_pending_member_does_not_see_the_agencys_entries(client):
    competition = CompetitionFactory()
    agency = AgencyFactory()
    member = InnovatorFactory(agency=agency)
    theirs = entry_services.create_entry(user=member, competition=competition, title="Inovasi anggota lama")
    pending = _pending(agency)
    client.force_login(pending)
    assert "Inovasi anggota lama" not in client.get(reverse("entries:my")).content.decode()
    assert client.get(reverse("entries:detail", args=[theirs.pk])).status_code in (403, 404)
