"""Forwarding upward's services: the quota and its refusal, the copy (text by key, unmapped text kept, indicators,
files copied and independent), nothing of the lower competition changing, audit on both sides, the mail."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction

from entries import services as entry_services
from entries.models import Entry
from judging.models import Nomination
from judging.publication.forwarding import services
from kipp.errors import Invalid, Refused
from kipp.models import AuditEvent
from tests.factories import CompetitionFactory, InnovatorFactory
from tests.judging.publication.forwarding.helpers import fill, lower_with_final, no_jobs_left_behind, upper_fed_by
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed():
    lower, final, entries, (a, _b) = lower_with_final()
    upper, national = upper_fed_by(lower, quota=3)
    return lower, upper, final, entries, a, national


def _ids(entries, *codes):
    return [entries[c].pk for c in codes]


def test_nominations_arrive_as_drafts_of_the_same_agency_with_their_provenance(fed):
    lower, upper, final, entries, organiser, _ = fed
    nominations = services.nominate_entries(
        upper=upper, lower=lower, entry_ids=_ids(entries, "E3", "E1"), actor=organiser
    )
    assert [n.rank for n in nominations] == [1, 3]
    first = nominations[0]
    assert first.entry.competition == upper
    assert first.entry.status == "draft"
    assert first.entry.agency_id == entries["E1"].agency_id
    assert first.entry.code == f"{upper.code_prefix}-001"
    assert first.announcement == final
    assert first.announcement_number == "065/312/III/B"
    assert first.total == pytest.approx(final.rows.get(entry=entries["E1"]).total)


def test_above_the_quota_is_refused_with_the_quota_and_the_used_count(fed):
    lower, upper, _final, entries, organiser, _ = fed
    services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1", "E2"), actor=organiser)
    with pytest.raises(Refused) as refusal:
        services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E3", "E4"), actor=organiser)
    message = refusal.value.messages[0]
    assert "3 usulan per penyelenggara" in message
    assert "sudah memakai 2 (sisa 1)" in message
    assert "Anda memilih 2" in message
    assert Nomination.objects.filter(competition=upper).count() == 2  # nothing of the refused choice written
    assert Entry.objects.filter(competition=upper).count() == 2
    services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E3"), actor=organiser)
    with pytest.raises(Refused, match="sudah memakai 3 \\(sisa 0\\)"):
        services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E4"), actor=organiser)


def test_the_database_refuses_a_nomination_beyond_the_quota_too(fed):
    lower, upper, _final, entries, organiser, _ = fed
    [done] = services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    from judging.models import FeedingRule

    FeedingRule.objects.filter(competition=upper).update(quota_per_organisation=1)
    other = CompetitionFactory()
    draft = Entry.objects.create(
        competition=upper, agency=entries["E2"].agency, created_by=organiser, code="X-1", title="Lewat jalur lain"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            competition=upper,
            lower_entry=entries["E2"],
            entry=draft,
            lower_competition=lower,
            organisation=lower.organisation,
            announcement=done.announcement,
            announcement_number="x",
            rank=2,
            nominated_by=organiser,
            created_at=done.created_at,
        )
    assert other.pk  # the trigger counts per upper competition and organisation only


def test_an_entry_is_nominated_once_per_upper_competition(fed):
    lower, upper, _final, entries, organiser, _ = fed
    services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    with pytest.raises(Refused, match="Sudah diusulkan ke KIPP Nasional Uji: E1"):
        services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1", "E2"), actor=organiser)


def test_only_selected_entries_of_a_public_final_list(fed):
    lower, upper, final, entries, organiser, national = fed
    with pytest.raises(Invalid, match="terpilih dalam daftar hasil akhir"):
        services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E5"), actor=organiser)
    with pytest.raises(Invalid, match="sedikitnya satu"):
        services.nominate_entries(upper=upper, lower=lower, entry_ids=[], actor=organiser)
    unannounced = CompetitionFactory(name="KIPP Tanpa Hasil")  # no final list is public there
    services.configure_feeding(competition=upper, actor=national, quota=3, lowers=[lower, unannounced])
    with pytest.raises(Refused, match="Hasil akhir KIPP Tanpa Hasil belum diumumkan"):
        services.nominate_entries(upper=upper, lower=unannounced, entry_ids=_ids(entries, "E1"), actor=organiser)


def test_not_fed_closed_and_not_the_organiser_are_refused(fed):
    lower, upper, _final, entries, organiser, _ = fed
    stranger = CompetitionFactory(name="KIPP Lain")
    with pytest.raises(Refused, match="tidak menerima usulan"):
        services.nominate_entries(upper=stranger, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    with pytest.raises(PermissionDenied):
        services.nominate_entries(
            upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=InnovatorFactory(agency=entries["E1"].agency)
        )
    type(upper).objects.filter(pk=upper.pk).update(
        opens_at=upper.opens_at - datetime.timedelta(days=60), closes_at=upper.opens_at - datetime.timedelta(days=1)
    )
    upper.refresh_from_db()
    with pytest.raises(Refused, match="tidak sedang dibuka"):
        services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)


def test_the_copy_maps_text_by_key_keeps_unmapped_text_and_copies_indicators_and_team(fed):
    lower, upper, _final, entries, organiser, _ = fed
    fill(entries["E1"])
    [nomination] = services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    draft = nomination.entry
    answers = {a.section.key: a.text for a in draft.answers.select_related("section")}
    assert answers == {"ringkasan": "Teks ringkasan dari E1.", "kebaruan": "Teks kebaruan dari E1."}
    assert all(a.section.competition_id == upper.pk for a in draft.answers.select_related("section"))
    assert nomination.unmapped == [
        {"key": "kearifan_lokal", "title": "Kearifan lokal", "text": "Teks kearifan_lokal dari E1."}
    ]
    [indicator] = draft.indicators.all()
    assert (indicator.name, indicator.kind, indicator.baseline_value, indicator.latest_value) == (
        "Angka putus sekolah",
        "percent",
        12,
        3,
    )
    assert list(draft.team_members.values_list("name", flat=True)) == ["Suhaedir Bahtiar"]


def test_files_are_copied_not_shared_deleting_one_leaves_the_other(fed):
    lower, upper, _final, entries, organiser, _ = fed
    innovator = fill(entries["E1"])
    [original] = entries["E1"].attachments.all()
    [nomination] = services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    [copy] = nomination.entry.attachments.all()
    assert copy.file.name != original.file.name and copy.thumbnail.name != original.thumbnail.name
    with default_storage.open(copy.file.name, "rb") as a, default_storage.open(original.file.name, "rb") as b:
        assert a.read() == b.read()
    # the innovator removes the photo from the national draft: the provincial one stays
    entry_services.remove_attachment(attachment=copy, user=innovator)
    assert not default_storage.exists(copy.file.name) and not default_storage.exists(copy.thumbnail.name)
    assert default_storage.exists(original.file.name) and default_storage.exists(original.thumbnail.name)
    assert entries["E1"].attachments.count() == 1


def test_deleting_the_lower_file_leaves_the_upper_copy(fed):
    lower, upper, _final, entries, organiser, _ = fed
    fill(entries["E2"])
    [original] = entries["E2"].attachments.all()
    [nomination] = services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E2"), actor=organiser)
    [copy] = nomination.entry.attachments.all()
    default_storage.delete(original.file.name)
    assert default_storage.exists(copy.file.name)


def test_nothing_of_the_lower_competition_changes(fed):
    lower, upper, _final, entries, organiser, _ = fed
    fill(entries["E1"])

    def snapshot():
        entry = Entry.objects.get(pk=entries["E1"].pk)
        return (
            entry.status,
            entry.version,
            entry.competition_id,
            sorted(entry.answers.values_list("section__key", "text")),
            sorted(entry.attachments.values_list("file", "thumbnail")),
            entry.indicators.count(),
            Entry.objects.filter(competition=lower).count(),
        )

    before = snapshot()
    services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    assert snapshot() == before


def test_audited_on_both_sides_and_the_innovators_are_mailed(fed):
    lower, upper, _final, entries, organiser, _ = fed
    innovator = fill(entries["E1"])
    [nomination] = services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, "E1"), actor=organiser)
    actions = set(AuditEvent.objects.values_list("action", "object_id"))
    assert ("forwarding.nominated", str(entries["E1"].pk)) in actions
    assert ("forwarding.arrived", str(nomination.entry_id)) in actions
    assert ("forwarding.nominate", str(upper.pk)) in actions
    assert ("entries.copy", str(nomination.entry_id)) in actions
    mails = [m for m in sent_mail() if innovator.email in m.to and "diusulkan" in m.subject]
    assert len(mails) == 1
    assert "KIPP Nasional Uji" in mails[0].subject and nomination.entry.code in mails[0].subject
    assert f"/proposal/{nomination.entry_id}/" in mails[0].body or str(nomination.entry_id) in mails[0].body


def test_configuring_refuses_competitions_that_are_not_below_and_a_bad_quota(fed):
    lower, upper, _final, _entries, organiser, national = fed
    with pytest.raises(Invalid, match="tingkat bawah"):
        services.configure_feeding(competition=lower, actor=organiser, quota=3, lowers=[upper])
    with pytest.raises(PermissionDenied):  # an organiser of another organisation configures nothing of this one
        services.configure_feeding(competition=lower, actor=national, quota=3, lowers=[])
    with pytest.raises(Invalid, match="antara 1 dan"):
        services.configure_feeding(competition=upper, actor=national, quota=0, lowers=[lower])
    rule = services.configure_feeding(competition=upper, actor=national, quota=5, lowers=[])
    assert rule.quota_per_organisation == 5 and not rule.feeds.exists()
    assert (
        AuditEvent.objects.filter(action="forwarding.configure", object_id=str(upper.pk)).count() == 2
    )  # set up, changed; refusals write nothing


@pytest.mark.django_db(transaction=True)
def test_two_organisers_nominating_at_once_never_pass_the_quota():
    with no_jobs_left_behind():
        _two_at_once()


def _two_at_once():
    """Two nominations of 2 each, started together against a quota of 3: the rule's row lock serialises them, so one
    is refused with the quota message and 2 nominations exist, never 4."""
    lower, _final, entries, (organiser, other) = lower_with_final()
    upper, _national = upper_fed_by(lower, quota=3)
    barrier = threading.Barrier(2)
    outcomes = []

    def nominate(actor, codes):
        try:
            barrier.wait(timeout=10)
            services.nominate_entries(upper=upper, lower=lower, entry_ids=_ids(entries, *codes), actor=actor)
            outcomes.append("ok")
        except Refused as refusal:
            outcomes.append(refusal.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=nominate, args=(organiser, ("E1", "E2"))),
        threading.Thread(target=nominate, args=(other, ("E3", "E4"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert "sudah memakai 2 (sisa 1)" in next(o for o in outcomes if o != "ok")
    assert Nomination.objects.filter(competition=upper).count() == 2
