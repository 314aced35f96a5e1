"""Services: refusals leave nothing changed; version checks; assignment; conflicts; round life cycle."""

import pytest
from django.db import IntegrityError, transaction

from judging.models import Assignment, Conflict, RankingSnapshot, Score, ScoreSheet
from judging.scoring import services
from kipp.models import AuditEvent
from tests.factories import AgencyFactory, CompetitionFactory, EntryFactory, OrganiserFactory, region
from tests.judging.scoring.helpers import BASE_TIME, add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10), ("c", 1, 1, 10, False)]


@pytest.fixture
def setup():
    round_ = make_round(CRITERIA)
    entry = add_entry(round_, "E1")
    judge = add_judge(round_)
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    ids = {c.key: c.pk for c in round_.criteria.all()}
    return round_, entry, judge, assignment, ids


def values(ids, **kv):
    return {ids[k]: (v, "") for k, v in kv.items()}


def test_save_then_submit_locks_the_sheet(setup):
    round_, entry, judge, assignment, ids = setup
    sheet = services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=7), version=0)
    assert sheet.state == "draft" and sheet.version == 1
    sheet = services.submit_sheet(
        assignment=assignment, judge=judge, values=values(ids, a=8, b=5), version=1, overall_comment="Bagus"
    )
    assert sheet.state == "final" and sheet.submitted_at is not None
    assert dict(Score.objects.filter(sheet=sheet).values_list("criterion__key", "value")) == {"a": 8, "b": 5}
    with pytest.raises(services.JudgingError, match="final"):
        services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=1), version=2)
    assert Score.objects.get(sheet=sheet, criterion_id=ids["a"]).value == 8


def test_submit_needs_every_required_criterion(setup):
    round_, entry, judge, assignment, ids = setup
    with pytest.raises(services.JudgingError, match="Belum dinilai: B"):
        services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=7), version=0)
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("bad", [0, 11, "x"])
def test_score_outside_the_scale_is_refused_and_nothing_changes(setup, bad):
    round_, entry, judge, assignment, ids = setup
    services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5), version=0)
    with pytest.raises(services.JudgingError):
        services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=6, b=bad), version=1)
    sheet = ScoreSheet.objects.get()
    assert sheet.version == 1
    assert list(sheet.scores.values_list("value", flat=True)) == [5]


def test_database_refuses_a_score_outside_the_scale(setup):
    round_, entry, judge, assignment, ids = setup
    sheet = services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5), version=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(sheet=sheet, criterion_id=ids["b"], value=42)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(assignment=assignment)  # one sheet per assignment
    other_round = make_round(CRITERIA, competition=round_.competition, slug="presentasi", order=2)
    with pytest.raises(IntegrityError, match="does not belong"), transaction.atomic():
        Score.objects.create(sheet=sheet, criterion=other_round.criteria.get(key="a"), value=5)
    with pytest.raises(IntegrityError, match="outside the scale"), transaction.atomic():
        Score.objects.bulk_create(
            [Score(sheet=sheet, criterion_id=ids["b"], value=3), Score(sheet=sheet, criterion_id=ids["c"], value=99)]
        )
    assert sheet.scores.count() == 1


def test_sheet_for_an_entry_not_assigned_to_the_judge_is_refused(setup):
    round_, entry, judge, assignment, ids = setup
    other = add_judge(round_)
    with pytest.raises(services.JudgingError, match="tidak ditugaskan"):
        services.save_sheet(assignment=assignment, judge=other, values=values(ids, a=5), version=0)
    assert not ScoreSheet.objects.exists()


def test_submit_in_a_closed_round_is_refused(setup):
    round_, entry, judge, assignment, ids = setup
    services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5, b=5), version=0)
    services.close_round(round_=round_, actor=OrganiserFactory(), reason="Juri berhalangan")  # the sheet is a draft
    with pytest.raises(services.JudgingError, match="sudah ditutup atau diumumkan"):
        services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=5, b=5), version=1)
    assert ScoreSheet.objects.get().state == "draft"


def test_a_conflicted_judge_cannot_save(setup):
    round_, entry, judge, assignment, ids = setup
    services.declare_conflict(assignment=assignment, judge=judge, reason="Mantan pegawai instansi ini")
    with pytest.raises(services.JudgingError, match="konflik"):
        services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5), version=0)
    assert not ScoreSheet.objects.exists()
    assert AuditEvent.objects.filter(action="judging.conflict_declared").count() == 1


def test_two_saves_with_the_same_version_the_second_is_refused(setup):
    round_, entry, judge, assignment, ids = setup
    services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5), version=0)
    services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=6), version=1)  # tab 1
    with pytest.raises(services.StaleSheetError, match="tab atau perangkat lain"):
        services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=9), version=1)  # tab 2
    sheet = ScoreSheet.objects.get()
    assert sheet.version == 2 and sheet.scores.get().value == 6


def test_two_first_saves_never_create_a_second_sheet(setup):
    round_, entry, judge, assignment, ids = setup
    services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=5), version=0)
    with pytest.raises(services.StaleSheetError):
        services.save_sheet(assignment=assignment, judge=judge, values=values(ids, a=6), version=0)
    assert ScoreSheet.objects.count() == 1


def test_double_submit_creates_one_final_sheet(setup):
    round_, entry, judge, assignment, ids = setup
    services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=5, b=5), version=0)
    with pytest.raises(services.StaleSheetError, match="sudah dikirim"):
        services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=5, b=5), version=0)
    assert ScoreSheet.objects.count() == 1
    assert AuditEvent.objects.filter(action="judging.sheet_submitted").count() == 1


def test_unlock_is_organiser_only_and_audited(setup):
    round_, entry, judge, assignment, ids = setup
    sheet = services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=5, b=5), version=0)
    with pytest.raises(services.JudgingError):
        services.unlock_sheet(sheet=sheet, actor=judge, reason="x")
    sheet = services.unlock_sheet(sheet=sheet, actor=OrganiserFactory(), reason="Salah ketik")
    assert sheet.state == "draft" and sheet.version == 2
    assert AuditEvent.objects.filter(action="judging.sheet_unlocked", details__reason="Salah ketik").exists()


def test_rubric_frozen_once_a_sheet_is_final_until_reopen(setup):
    round_, entry, judge, assignment, ids = setup
    organiser = OrganiserFactory()
    services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=10, b=1), version=0)
    criterion = round_.criteria.get(key="b")
    with pytest.raises(services.JudgingError, match="terkunci"):
        services.save_criterion(round_=round_, actor=organiser, criterion=criterion, weight=3)
    services.close_round(round_=round_, actor=organiser)
    with pytest.raises(services.JudgingError):
        services.reopen_round(round_=round_, actor=organiser, reason="  ")
    services.reopen_round(round_=round_, actor=organiser, reason="Bobot salah")
    round_.refresh_from_db()
    from judging.scoring.queries import round_ranking

    before = round_ranking(round_)[0]["total"]
    services.save_criterion(round_=round_, actor=organiser, criterion=criterion, weight=3)
    after = round_ranking(round_)[0]["total"]
    assert before == pytest.approx((3 * 100 + 0) / 4) and after == pytest.approx((3 * 100 + 0) / 6)
    assert AuditEvent.objects.filter(action="judging.criterion_changed").exists()
    assert AuditEvent.objects.filter(action="judging.round_reopened", details__reason="Bobot salah").exists()


def test_close_stores_a_snapshot(setup):
    round_, entry, judge, assignment, ids = setup
    services.submit_sheet(assignment=assignment, judge=judge, values=values(ids, a=10, b=10), version=0)
    services.close_round(round_=round_, actor=OrganiserFactory())
    snapshot = RankingSnapshot.objects.get(round=round_)
    assert snapshot.rows[0]["entry_code"] == "E1" and snapshot.rows[0]["total"] == pytest.approx(100)
    assert [c["key"] for c in snapshot.criteria] == ["a", "b", "c"]


def test_automatic_conflicts_by_agency_and_region():
    competition = CompetitionFactory()
    round_ = make_round(CRITERIA, competition=competition)
    jeneponto, makassar = region("73.04"), region("73.71")
    agency = AgencyFactory(region=jeneponto)
    same_agency = add_entry(round_, "E1", agency=agency)
    same_region = add_entry(round_, "E2", agency=AgencyFactory(region=jeneponto, name="Dinas Lain"))
    elsewhere = add_entry(round_, "E3", agency=AgencyFactory(region=makassar))
    from_agency = add_judge(round_, agency=agency)
    from_region = add_judge(round_, region=jeneponto)
    services.refresh_automatic_conflicts(round_=round_)
    pairs = set(Conflict.objects.values_list("judge_id", "entry_id"))
    assert pairs == {
        (from_agency.pk, same_agency.pk),
        (from_agency.pk, same_region.pk),
        (from_region.pk, same_agency.pk),
        (from_region.pk, same_region.pk),
    }
    with pytest.raises(services.JudgingError, match="konflik"):
        services.assign(round_=round_, entry=same_agency, judge=from_agency)
    services.assign(round_=round_, entry=elsewhere, judge=from_agency)


@pytest.mark.parametrize("n_entries,n_judges,k", [(20, 9, 3), (141, 9, 3), (7, 5, 2)])
def test_auto_assign_properties(n_entries, n_judges, k):
    round_ = make_round(CRITERIA, k=k)
    jeneponto = region("73.04")
    makassar = AgencyFactory(region=region("73.71"), name="Dinas Kota")
    entries = [
        add_entry(round_, f"E{i:03d}", agency=AgencyFactory(region=jeneponto) if i % 7 == 0 else makassar)
        for i in range(n_entries)
    ]
    judges = [add_judge(round_, region=jeneponto if j == 0 else None) for j in range(n_judges)]
    services.refresh_automatic_conflicts(round_=round_)
    assert Conflict.objects.exists()
    services.auto_assign(round_=round_)
    per_entry = {e.pk: 0 for e in entries}
    loads = {j.pk: 0 for j in judges}
    conflicts = set(Conflict.objects.values_list("judge_id", "entry_id"))
    for entry_id, judge_id in Assignment.objects.values_list("entry_id", "judge_id"):
        per_entry[entry_id] += 1
        loads[judge_id] += 1
        assert (judge_id, entry_id) not in conflicts
    assert set(per_entry.values()) == {k}
    assert max(loads.values()) - min(loads.values()) <= 1
    first = sorted(Assignment.objects.values_list("entry__code", "judge__email"))
    Assignment.objects.all().delete()
    services.auto_assign(round_=round_)
    assert sorted(Assignment.objects.values_list("entry__code", "judge__email")) == first  # deterministic


def test_recusal_leaves_an_entry_short_and_a_replacement_fills_it():
    round_ = make_round(CRITERIA, k=2)
    entry = add_entry(round_, "E1")
    j1, j2, j3 = add_judge(round_), add_judge(round_), add_judge(round_)
    a1 = services.assign(round_=round_, entry=entry, judge=j1)
    services.assign(round_=round_, entry=entry, judge=j2)
    from judging.scoring.queries import entries_short_of_k, replacement_candidates

    assert entries_short_of_k(round_) == []
    services.declare_conflict(assignment=a1, judge=j1, reason="Keluarga")
    short = entries_short_of_k(round_)
    assert [(s.entry.code, s.active) for s in short] == [("E1", 1)]
    candidates = replacement_candidates(round_, short)[entry.pk]
    assert [rj.judge for rj in candidates] == [j3]
    services.assign_replacement(round_=round_, entry=entry, judge=j3, actor=OrganiserFactory())
    assert entries_short_of_k(round_) == []


def test_create_round_with_default_rubric_takes_eligible_entries():
    competition = CompetitionFactory()
    eligible = EntryFactory(competition=competition, status="eligible", submitted_at=BASE_TIME, decided_at=BASE_TIME)
    EntryFactory(competition=competition, status="draft")
    organiser = OrganiserFactory()
    desk = services.create_round(
        competition=competition, slug="penilaian-proposal", name="Penilaian proposal", kind="desk", actor=organiser
    )
    weights = {c.key: int(c.weight) for c in desk.criteria.all()}
    assert weights == {
        "latar_belakang": 10,
        "kebaruan": 15,
        "implementasi": 5,
        "signifikansi": 30,
        "adaptabilitas": 20,
        "sumber_daya": 5,
        "keberlanjutan": 15,
    }
    assert desk.criteria.first().bands.count() == 5
    assert list(desk.round_entries.values_list("entry_id", "source")) == [(eligible.pk, "eligible")]
    judge = add_judge(desk)
    add_sheet(desk, eligible, judge, {c.key: 9 for c in desk.criteria.all()})
    services.open_round(round_=desk, actor=organiser) if desk.state == "setup" else None
    services.close_round(round_=desk, actor=organiser)
    second = services.create_round(
        competition=competition,
        slug="presentasi-wawancara",
        name="Presentasi",
        kind="presentation",
        actor=organiser,
        top_n=10,
    )
    assert second.order == 2
    assert list(second.round_entries.values_list("entry_id", "source")) == [(eligible.pk, "previous_round")]
    assert second.criteria.count() == 6
