import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from judging.models import AnnouncementRow, InnovationRecord, RecordEntry, ReplicationRequest
from judging.records import services
from judging.records.queries import catalogue, public_records
from judging.scoring.services import JudgingError
from kipp.models import AuditEvent
from tests.factories import AgencyFactory, InnovatorFactory, OrganiserFactory, region
from tests.judging.records.helpers import add_kind_indicators, published_world
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


def test_records_are_built_for_selected_entries_only_and_idempotently():
    world = published_world()
    assert sorted(world["records"]) == ["E1", "E2"]
    assert InnovationRecord.objects.count() == 2
    services.build_records(announcement=world["announcement"])
    assert InnovationRecord.objects.count() == 2
    assert RecordEntry.objects.count() == 2
    sms = world["records"]["E1"]
    assert sms.slug == "sapa-masyarakat-sekitar-sms"
    assert sms.summary.startswith("Guru dan kepala sekolah")
    assert AuditEvent.objects.filter(action="records.built").exists()


def test_an_announcement_under_embargo_builds_nothing_and_shows_nothing():
    world = published_world(embargo_until=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(JudgingError):
        services.build_records(announcement=world["announcement"])
    assert not public_records().exists()


def test_search_finds_putus_sekolah_in_the_proposal_text_unaccented_and_ranked():
    published_world()
    titles = [r.title for r in catalogue({"q": "putus sekolah"})]
    assert titles == ["Sapa Masyarakat Sekitar (SMS)"]
    assert [r.title for r in catalogue({"q": "PUTUS SEKOLÄH"})] == titles
    assert [r.title for r in catalogue({"q": "Tompobulu"})] == titles
    assert list(catalogue({"q": "tidak-ada-kata-ini"})) == []


def test_a_later_year_joins_the_same_record_and_history_shows_both(django_assert_max_num_queries):
    from tests.judging.publication.helpers import closed_round, published

    world = published_world()
    sms = world["records"]["E1"]
    round2, _next, entries2, _judges = closed_round(top_n=1, reserve_n=0)
    round2.competition.year = 2028
    round2.competition.save()
    e = entries2["E1"]
    e.title, e.agency = sms.title, sms.agency
    e.save()
    a, b = world["organisers"]
    announcement2 = published(round2, a, b, number="070/1/2028")
    services.build_records(announcement=announcement2)
    sms.refresh_from_db()
    assert sms.first_year == 2027 and sms.year == 2028
    assert sms.entry_id == e.pk
    assert sorted(sms.history.values_list("year", flat=True)) == [2027, 2028]


def test_update_adds_dated_values_and_stops_with_reason_without_touching_the_announcement(media_root):
    world = published_world()
    sms, owner = world["records"]["E1"], world["owner"]
    before = list(AnnouncementRow.objects.order_by("pk").values())
    today = timezone.localdate()
    services.update_record(
        record=sms,
        actor=owner,
        values=[("Angka putus sekolah", Decimal("3"), today)],
        note="Masih berjalan di dua desa.",
    )
    services.update_record(
        record=sms, actor=owner, is_running=False, stopped_on=today, stop_reason="Anggaran desa dialihkan."
    )
    sms.refresh_from_db()
    assert sms.is_running is False and sms.stopped_on == today
    assert sms.indicator_values.get().value == Decimal("3")
    assert list(AnnouncementRow.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="records.updated").count() == 2


def test_update_refusals():
    world = published_world()
    sms = world["records"]["E1"]
    other = InnovatorFactory(agency=AgencyFactory(region=region("73.71")))
    with pytest.raises(JudgingError):
        services.update_record(record=sms, actor=other)
    with pytest.raises(JudgingError):
        services.update_record(record=sms, actor=OrganiserFactory())
    with pytest.raises(JudgingError):
        services.update_record(record=sms, actor=world["owner"], is_running=False, stopped_on=timezone.localdate())
    with pytest.raises(JudgingError):
        services.update_record(record=sms, actor=world["owner"], values=[("Unknown", 1, timezone.localdate())])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(JudgingError):
        services.update_record(record=sms, actor=world["owner"], values=[("Angka putus sekolah", 1, tomorrow)])


def test_the_db_refuses_a_stopped_record_without_a_reason():
    world = published_world()
    with pytest.raises(IntegrityError), transaction.atomic():
        InnovationRecord.objects.filter(pk=world["records"]["E1"].pk).update(
            is_running=False, stopped_on=timezone.localdate(), stop_reason=""
        )


def test_replication_moves_requested_agreed_implemented_with_dates_audit_and_email():
    world = published_world()
    sms, owner = world["records"]["E1"], world["owner"]
    makassar = AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Kota Makassar")
    requester = InnovatorFactory(agency=makassar)
    sent_mail().clear()
    with pytest.raises(JudgingError):
        services.request_replication(record=sms, actor=owner, plan="x")  # own agency
    with pytest.raises(JudgingError):
        services.request_replication(record=sms, actor=requester, plan="  ")
    rep = services.request_replication(record=sms, actor=requester, plan="Terapkan di 5 SMP.")
    assert rep.state == "requested" and rep.contact_email == requester.email
    with pytest.raises(JudgingError):
        services.request_replication(record=sms, actor=requester, plan="again")
    with pytest.raises(JudgingError):
        services.answer_replication(replication=rep, actor=requester, agree=True)
    with pytest.raises(JudgingError):
        services.mark_replication_implemented(replication=rep, actor=requester)  # not agreed yet
    rep = services.answer_replication(replication=rep, actor=owner, agree=True, note="Silakan.")
    assert rep.state == "agreed" and rep.agreed_at is not None
    rep = services.mark_replication_implemented(replication=rep, actor=requester, note="Berjalan sejak Juli.")
    assert rep.state == "implemented" and rep.implemented_at >= rep.agreed_at
    actions = set(AuditEvent.objects.filter(action__startswith="replication.").values_list("action", flat=True))
    assert actions == {"replication.requested", "replication.agreed", "replication.implemented"}


def test_replication_emails_go_to_the_owner_agency_then_to_the_requester(django_capture_on_commit_callbacks):
    world = published_world()
    sms, owner = world["records"]["E1"], world["owner"]
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71")))
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        rep = services.request_replication(record=sms, actor=requester, plan="Rencana.")
    assert owner.email in [m.to[0] for m in sent_mail()]
    assert sms.title in sent_mail()[0].subject
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_replication(replication=rep, actor=owner, agree=False, note="Belum siap mendampingi.")
    assert requester.email in [m.to[0] for m in sent_mail()]
    assert "Belum siap mendampingi." in sent_mail()[0].body


def test_declining_needs_a_reason_and_is_final():
    world = published_world()
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71")))
    rep = services.request_replication(record=world["records"]["E1"], actor=requester, plan="Rencana.")
    with pytest.raises(JudgingError):
        services.answer_replication(replication=rep, actor=world["owner"], agree=False)
    rep = services.answer_replication(replication=rep, actor=world["owner"], agree=False, note="Tidak.")
    with pytest.raises(JudgingError):
        services.answer_replication(replication=rep, actor=world["owner"], agree=True)
    # a declined request no longer blocks a new one
    services.request_replication(record=world["records"]["E1"], actor=requester, plan="Rencana baru.")


def test_db_constraints_on_replication_states():
    world = published_world()
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71")))
    rep = services.request_replication(record=world["records"]["E1"], actor=requester, plan="Rencana.")
    for bad in (
        {"state": "agreed"},  # no agreed_at
        {"state": "implemented", "agreed_at": timezone.now()},  # no implemented_at
        {"state": "declined", "declined_at": timezone.now()},  # no reason
        {"state": "bogus"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReplicationRequest.objects.filter(pk=rep.pk).update(**bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplicationRequest.objects.create(
            record=rep.record,
            requester_agency=rep.requester_agency,
            requested_by=requester,
            contact_name="x",
            contact_email="x@example.org",
            plan="dup",
            requested_at=timezone.now(),
        )


def test_update_refuses_impossible_indicator_values_by_the_entries_rule():
    world = published_world()
    sms, owner, today = world["records"]["E1"], world["owner"], timezone.localdate()
    add_kind_indicators(world["entries"]["E1"])
    for name, value in (
        ("Siswa kembali bersekolah", "23.69"),
        ("Siswa kembali bersekolah", "-1"),
        ("Cakupan kunjungan", "111.54"),
    ):
        with pytest.raises(JudgingError) as refused:
            services.update_record(record=sms, actor=owner, values=[(name, Decimal(value), today)])
        assert name in refused.value.messages[0]
    assert not sms.indicator_values.exists()
    services.update_record(
        record=sms,
        actor=owner,
        values=[("Siswa kembali bersekolah", Decimal("24"), today), ("Cakupan kunjungan", Decimal("100"), today)],
    )
    assert sorted(sms.indicator_values.values_list("value", flat=True)) == [Decimal("24"), Decimal("100")]
