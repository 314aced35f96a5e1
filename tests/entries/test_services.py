import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from entries import services
from entries.enums import EntryStatus
from entries.models import DeadlineExtension, Entry, ProposalAnswer, StatusChange
from kipp.errors import Invalid, Refused, Stale, error_text
from kipp.models import AuditEvent
from tests.entries.conftest import make_complete
from tests.factories import AgencyFactory, EntryFactory, InnovatorFactory, JudgeFactory, region
from tests.outbox import sent_mail


def actions(entry):
    return list(AuditEvent.objects.filter(object_id=str(entry.pk)).order_by("id").values_list("action", flat=True))


# create ---------------------------------------------------------------------------------------------


def test_create_entry_generates_sequential_codes(competition, innovator):
    first = services.create_entry(user=innovator, competition=competition, title="Satu")
    second = services.create_entry(user=innovator, competition=competition, title="Dua")
    assert first.code == f"{competition.code_prefix}-001"
    assert second.code == f"{competition.code_prefix}-002"
    assert first.status == EntryStatus.DRAFT
    assert first.agency == innovator.agency
    assert actions(first) == ["entries.create"]


def test_create_entry_refused_when_competition_closed(closed_competition, innovator):
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        services.create_entry(user=innovator, competition=closed_competition, title="Terlambat")
    assert not Entry.objects.exists()


@pytest.mark.parametrize("factory", [JudgeFactory])
def test_create_entry_refused_for_non_innovators(competition, factory, verifier):
    for user in (factory(), verifier):
        with pytest.raises(PermissionDenied):
            services.create_entry(user=user, competition=competition, title="X")


# save_draft -----------------------------------------------------------------------------------------


def test_save_draft_saves_profile_answers_team_and_indicators(entry, innovator):
    section = entry.competition.sections.get(key="ringkasan")
    services.save_draft(
        entry=entry,
        user=innovator,
        version=entry.version,
        profile={"title": "Sapa Masyarakat Sekitar (SMS)", "short_name": "SMS", "kecamatan": "Rumbia"},
        answers={section.pk: "Menurunkan angka putus sekolah."},
        team=[{"name": "Dr. Suhaedir Bahtiar", "position": "Kepala UPT SMPN 2 Rumbia", "contact": "0812"}],
        indicators=[
            {
                "name": "Angka putus sekolah",
                "unit": "%",
                "direction": "lower",
                "baseline_value": "12.5",
                "baseline_on": datetime.date(2020, 7, 1),
                "latest_value": "3.1",
                "latest_on": datetime.date(2022, 7, 1),
                "source": "Dapodik",
            }
        ],
    )
    entry.refresh_from_db()
    assert entry.short_name == "SMS" and entry.version == 2
    assert ProposalAnswer.objects.get(entry=entry, section=section).text == "Menurunkan angka putus sekolah."
    assert entry.team_members.get().name == "Dr. Suhaedir Bahtiar"
    assert entry.indicators.get().direction == "lower"


def test_save_draft_with_stale_version_is_refused_and_keeps_the_other_save(entry, innovator, colleague):
    opened = entry.version
    services.save_draft(entry=entry, user=colleague, version=opened, profile={"short_name": "RekanSaved"})
    with pytest.raises(services.StaleEntryError, match="Orang lain telah menyimpan"):
        services.save_draft(entry=entry, user=innovator, version=opened, profile={"short_name": "Mine"})
    entry.refresh_from_db()
    assert entry.short_name == "RekanSaved"


def test_a_stale_draft_is_refused_as_the_portal_s_stale_error(entry, innovator, colleague):
    """StaleEntryError is a kipp.errors.Stale, so every view can treat a stale form the one same way."""
    opened = entry.version
    services.save_draft(entry=entry, user=colleague, version=opened, profile={"short_name": "RekanSaved"})
    with pytest.raises(Stale) as info:
        services.save_draft(entry=entry, user=innovator, version=opened, profile={"short_name": "Mine"})
    assert isinstance(info.value, services.StaleEntryError)
    assert "Orang lain telah menyimpan" in error_text(info.value)


def test_save_draft_refuses_a_201_word_summary(entry, innovator):
    section = entry.competition.sections.get(key="ringkasan")
    with pytest.raises(ValidationError, match="201 kata"):
        services.save_draft(entry=entry, user=innovator, version=entry.version, answers={section.pk: "kata " * 201})
    assert not ProposalAnswer.objects.filter(entry=entry).exists()
    entry.refresh_from_db()
    assert entry.version == 1


def test_save_draft_accepts_exactly_200_words(entry, innovator):
    section = entry.competition.sections.get(key="ringkasan")
    services.save_draft(entry=entry, user=innovator, version=entry.version, answers={section.pk: "kata " * 200})
    assert ProposalAnswer.objects.get(entry=entry).text.count("kata") == 200


def test_edit_by_another_agencys_innovator_is_refused(entry, other_innovator):
    with pytest.raises(PermissionDenied, match="instansi lain"):
        services.save_draft(entry=entry, user=other_innovator, version=entry.version, profile={"title": "Diambil"})
    entry.refresh_from_db()
    assert entry.title == "Sapa Masyarakat Sekitar"


def test_edit_after_submit_is_refused(complete_entry, innovator):
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    with pytest.raises(PermissionDenied, match="tidak dapat diubah"):
        services.save_draft(
            entry=complete_entry, user=innovator, version=complete_entry.version, profile={"title": "Z"}
        )
    complete_entry.refresh_from_db()
    assert complete_entry.title == "Sapa Masyarakat Sekitar"


# submit ---------------------------------------------------------------------------------------------


def test_submit_lists_every_problem_at_once(entry, innovator):
    with pytest.raises(ValidationError) as info:
        services.submit_entry(entry=entry, user=innovator)
    messages = info.value.messages
    assert any("Ringkasan" in m for m in messages)
    assert any("Kebaruan" in m for m in messages)
    assert any("foto" in m for m in messages)
    assert any("SK inovator" in m for m in messages)
    assert any("Tanggal mulai" in m for m in messages)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_submit_refuses_201_word_summary_in_list(complete_entry, innovator):
    ProposalAnswer.objects.filter(entry=complete_entry, section__key="ringkasan").update(text="kata " * 201)
    with pytest.raises(ValidationError, match="201 kata; batasnya 200"):
        services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.DRAFT


def test_submit_sends_to_verifier_and_notifies(complete_entry, innovator, colleague, verifier, other_verifier):
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.SUBMITTED
    assert complete_entry.submitted_at is not None
    assert "entries.submit" in actions(complete_entry)
    recipients = sorted(m.to[0] for m in sent_mail())
    assert recipients == sorted([innovator.email, colleague.email, verifier.email])
    assert complete_entry.code in sent_mail()[0].subject


def test_submit_without_regional_verification_goes_straight_to_forwarded(complete_entry, innovator):
    complete_entry.competition.requires_regional_verification = False
    complete_entry.competition.save()
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.FORWARDED
    assert complete_entry.forwarded_at is not None


def test_submit_after_deadline_is_refused_with_the_deadline(complete_entry, innovator):
    competition = complete_entry.competition
    competition.opens_at = timezone.make_aware(datetime.datetime(2025, 1, 1, 8, 0))
    competition.closes_at = timezone.make_aware(datetime.datetime(2025, 3, 31, 23, 59))
    competition.save()
    with pytest.raises(ValidationError, match=r"31 Maret 2025, 23:59 WITA"):
        services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.DRAFT


def test_deadline_is_enforced_in_wita_to_the_minute(complete_entry, innovator):
    closes = timezone.now() + datetime.timedelta(minutes=30)
    competition = complete_entry.competition
    competition.closes_at = closes
    competition.save()
    with pytest.raises(ValidationError):
        services.submit_entry(entry=complete_entry, user=innovator, now=closes)
    services.submit_entry(entry=complete_entry, user=innovator, now=closes - datetime.timedelta(seconds=1))


def test_extension_lets_one_entry_submit_late(complete_entry, innovator, organiser):
    competition = complete_entry.competition
    competition.opens_at = timezone.now() - datetime.timedelta(days=20)
    competition.closes_at = timezone.now() - datetime.timedelta(days=1)
    competition.save()
    services.extend_deadline(
        entry=complete_entry, user=organiser, deadline=timezone.now() + datetime.timedelta(days=2), reason="Banjir"
    )
    assert "entries.extend_deadline" in actions(complete_entry)
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.SUBMITTED


def test_extension_refused_for_non_organiser_and_without_reason(entry, innovator, organiser):
    deadline = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.extend_deadline(entry=entry, user=innovator, deadline=deadline, reason="x")
    with pytest.raises(ValidationError):
        services.extend_deadline(entry=entry, user=organiser, deadline=deadline, reason=" ")
    assert not DeadlineExtension.objects.exists()


def test_submit_by_another_agencys_innovator_is_refused(complete_entry, other_innovator):
    with pytest.raises(PermissionDenied):
        services.submit_entry(entry=complete_entry, user=other_innovator)
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.DRAFT


# verification ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(complete_entry, innovator):
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    sent_mail().clear()
    return complete_entry


def test_return_with_note_then_resubmit(submitted, innovator, verifier):
    services.return_entry(entry=submitted, user=verifier, note="Lengkapi data indikator.")
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.RETURNED
    assert StatusChange.objects.filter(entry=submitted, to_status="returned").get().note == "Lengkapi data indikator."
    assert "Lengkapi data indikator." in sent_mail()[0].body
    services.save_draft(entry=submitted, user=innovator, version=submitted.version, profile={"short_name": "SMS"})
    services.submit_entry(entry=submitted, user=innovator)
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED


def test_refusals_say_whether_the_state_or_the_input_is_the_reason(submitted, verifier, organiser):
    """What the state does not allow is a kipp.errors.Refused, wrong input a kipp.errors.Invalid."""
    with pytest.raises(Invalid, match="Tuliskan catatan"):
        services.return_entry(entry=submitted, user=verifier, note="  ")
    later = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(Refused, match="hanya dapat diperpanjang"):
        services.extend_deadline(entry=submitted, user=organiser, deadline=later, reason="Banjir")
    assert not DeadlineExtension.objects.filter(entry=submitted).exists()
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED


def test_return_without_note_is_refused(submitted, verifier):
    with pytest.raises(ValidationError):
        services.return_entry(entry=submitted, user=verifier, note="  ")
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED


def test_forward_by_verifier_of_another_region_is_refused(submitted, other_verifier):
    with pytest.raises(PermissionDenied, match="Jeneponto"):
        services.forward_entry(entry=submitted, user=other_verifier)
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED
    assert "entries.forward" not in actions(submitted)


def test_forward_by_verifier_of_region(submitted, verifier, innovator):
    services.forward_entry(entry=submitted, user=verifier)
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.FORWARDED
    assert [m.to[0] for m in sent_mail()] == [innovator.email]


def test_forward_refused_for_a_draft(entry, verifier):
    with pytest.raises(PermissionDenied, match="tidak sedang menunggu"):
        services.forward_entry(entry=entry, user=verifier)


def test_region_quota_holds_at_forwarding(submitted, verifier, competition, agency):
    competition.quota_per_region = 1
    competition.save()
    other = make_complete(EntryFactory(competition=competition, agency=AgencyFactory(name="Dinas Lain")))
    services.submit_entry(entry=other, user=other.created_by)
    services.forward_entry(entry=other, user=verifier)
    with pytest.raises(ValidationError, match="Kuota daerah"):
        services.forward_entry(entry=submitted, user=verifier)
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.SUBMITTED


def test_agency_quota_holds_at_forwarding(submitted, verifier, competition, agency, innovator):
    competition.quota_per_agency = 1
    competition.save()
    other = make_complete(EntryFactory(competition=competition, agency=agency, created_by=innovator))
    services.submit_entry(entry=other, user=innovator)
    services.forward_entry(entry=other, user=verifier)
    with pytest.raises(ValidationError, match="Kuota instansi"):
        services.forward_entry(entry=submitted, user=verifier)


# selection ------------------------------------------------------------------------------------------


@pytest.fixture
def forwarded(submitted, verifier):
    services.forward_entry(entry=submitted, user=verifier)
    submitted.refresh_from_db()
    sent_mail().clear()
    return submitted


def test_decide_eligible(forwarded, organiser, innovator, verifier):
    services.decide_eligibility(entry=forwarded, user=organiser, eligible=True)
    forwarded.refresh_from_db()
    assert forwarded.status == EntryStatus.ELIGIBLE and forwarded.decided_at
    assert sorted(m.to[0] for m in sent_mail()) == sorted([innovator.email, verifier.email])


def test_decide_ineligible_needs_a_reason(forwarded, organiser):
    with pytest.raises(ValidationError):
        services.decide_eligibility(entry=forwarded, user=organiser, eligible=False)
    services.decide_eligibility(entry=forwarded, user=organiser, eligible=False, reason="too_young", note="11 bulan")
    forwarded.refresh_from_db()
    assert (forwarded.status, forwarded.decision_reason, forwarded.decision_note) == (
        "ineligible",
        "too_young",
        "11 bulan",
    )


def test_decide_refused_for_verifier_and_for_unforwarded(forwarded, verifier, organiser, entry):
    with pytest.raises(PermissionDenied):
        services.decide_eligibility(entry=forwarded, user=verifier, eligible=True)
    draft = EntryFactory(competition=forwarded.competition, agency=forwarded.agency, created_by=forwarded.created_by)
    with pytest.raises(ValidationError):
        services.decide_eligibility(entry=draft, user=organiser, eligible=True)


def test_bulk_decision_is_all_or_nothing(forwarded, organiser, entry):
    draft = EntryFactory(competition=forwarded.competition, agency=forwarded.agency, created_by=forwarded.created_by)
    with pytest.raises(ValidationError):
        services.decide_eligibility_bulk(entries=[forwarded, draft], user=organiser, eligible=True)
    forwarded.refresh_from_db()
    assert forwarded.status == EntryStatus.FORWARDED
    services.decide_eligibility_bulk(entries=[forwarded], user=organiser, eligible=False, reason="duplicate")
    forwarded.refresh_from_db()
    assert forwarded.status == EntryStatus.INELIGIBLE


# withdraw -------------------------------------------------------------------------------------------


def test_withdraw_by_own_agency_only(submitted, innovator, other_innovator):
    with pytest.raises(PermissionDenied):
        services.withdraw_entry(entry=submitted, user=other_innovator)
    services.withdraw_entry(entry=submitted, user=innovator)
    submitted.refresh_from_db()
    assert submitted.status == EntryStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_entry(entry=submitted, user=innovator)


def test_verifier_of_other_region_cannot_even_be_in_other_province(submitted):
    stranger = InnovatorFactory(agency=AgencyFactory(name="X", region=region("73.71")))
    with pytest.raises(PermissionDenied):
        services.return_entry(entry=submitted, user=stranger, note="x")
