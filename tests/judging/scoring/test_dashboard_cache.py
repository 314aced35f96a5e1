"""The organiser's dashboard is served from the cache of the current scoring state (judging/scoring/dashboard_cache.py):
every change to what it shows is visible on the next request, and nothing user-specific is cached."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import update_last_login
from django.urls import reverse
from django.utils import translation

from entries.models import Entry
from judging.models import Conflict, Criterion, Round, RoundEntry, RoundJudge, Score, ScoreSheet, ScoringChange
from judging.scoring import dashboard_cache as round_cache
from judging.scoring import services
from kipp.models import Agency, Region
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5)]


@pytest.fixture
def board(client):
    round_ = make_round(CRITERIA, top_n=1, reserve_n=1, k=2)
    first, second = add_entry(round_, "E1"), add_entry(round_, "E2")
    judge = add_judge(round_, full_name="Juri Satu")
    other = add_judge(round_, full_name="Juri Dua")
    add_sheet(round_, first, judge, {"a": 4, "b": 2})
    client.force_login(OrganiserFactory())
    url = reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])
    return {"round": round_, "first": first, "second": second, "judge": judge, "other": other, "url": url}


def rank_of(page, code):
    marker = f'data-entry="{code}"'
    assert marker in page, code
    return int(page.split(marker)[0].rsplit('data-rank="', 1)[1].split('"')[0])


def test_a_submitted_sheet_shows_on_the_next_request(client, board):
    page = client.get(board["url"]).content.decode()
    assert "1 dari 1 lembar nilai final" in page
    assert rank_of(page, "E1") == 1
    assignment = services.assign(round_=board["round"], entry=board["second"], judge=board["other"])
    services.submit_sheet(
        assignment=assignment, judge=board["other"], values=_values(board["round"], a=10, b=5), version=0
    )
    page = client.get(board["url"]).content.decode()
    assert "2 dari 2 lembar nilai final" in page
    assert rank_of(page, "E2") == 1 and rank_of(page, "E1") == 2
    assert "100,00" in page  # E2's total, Indonesian decimal comma


def test_conflicts_names_and_round_settings_show_on_the_next_request(client, board):
    client.get(board["url"])
    Conflict.objects.create(
        competition=board["round"].competition,
        judge=board["judge"],
        entry=board["first"],
        reason="keluarga",
        source="declared",
    )
    page = client.get(board["url"]).content.decode()
    assert "1 penugasan mundur karena konflik kepentingan" in page
    board["other"].full_name = "Juri Dua Berganti Nama"
    board["other"].save()
    assert "Juri Dua Berganti Nama" in client.get(board["url"]).content.decode()
    Round.objects.filter(pk=board["round"].pk).update(top_n=2)
    assert "Batas Top 2" in client.get(board["url"]).content.decode()
    Criterion.objects.filter(round=board["round"], key="b").update(weight=Decimal("9"))
    page = client.get(board["url"]).content.decode()
    assert 'title="B (b)">B</span>' in page  # the criterion's title as the header (issue 11 item 10)


def test_each_watched_table_notes_a_change_and_a_login_does_not(board):
    round_, entry, judge = board["round"], board["first"], board["judge"]
    sheet = ScoreSheet.objects.get(assignment__entry=entry)
    writes = [
        lambda: Score.objects.filter(sheet=sheet).update(value=3),
        lambda: ScoreSheet.objects.filter(pk=sheet.pk).update(overall_comment="x"),
        lambda: services.assign(round_=round_, entry=board["second"], judge=judge),
        lambda: Conflict.objects.create(
            competition=round_.competition, judge=board["other"], entry=entry, reason="x", source="declared"
        ),
        lambda: Criterion.objects.filter(round=round_).update(title="Baru"),
        lambda: Round.objects.filter(pk=round_.pk).update(name="Nama baru"),
        lambda: RoundEntry.objects.filter(round=round_, entry=entry).update(position=3),
        lambda: RoundJudge.objects.create(round=round_, judge=JudgeFactory()),
        lambda: Entry.objects.filter(pk=entry.pk).update(title="Judul baru"),
        lambda: Agency.objects.filter(pk=entry.agency_id).update(name="Dinas Baru"),
        lambda: Region.objects.filter(pk=entry.agency.region_id).update(name=entry.agency.region.name),
        lambda: judge.__class__.objects.filter(pk=judge.pk).update(full_name="Nama Juri Baru"),
    ]
    for write in writes:
        before = round_cache.scoring_state()
        write()
        assert round_cache.scoring_state() != before
    before = round_cache.scoring_state()
    update_last_login(None, judge)  # what every login does: save(update_fields=['last_login'])
    judge.refresh_from_db()
    assert judge.last_login is not None
    assert round_cache.scoring_state() == before


def test_squash_keeps_one_row_and_never_reuses_a_state(client, board, monkeypatch):
    monkeypatch.setattr(round_cache, "SQUASH_AT", 3)
    seen = {round_cache.scoring_state()}
    for name in ("satu", "dua", "tiga", "empat", "lima"):
        Round.objects.filter(pk=board["round"].pk).update(name=name)
        state = round_cache.scoring_state()
        assert state not in seen
        seen.add(state)
    assert ScoringChange.objects.count() <= 3
    assert ScoringChange.objects.filter(source="squash").exists()
    services.assign(round_=board["round"], entry=board["second"], judge=board["other"])
    assert "1 dari 2 lembar nilai final" in client.get(board["url"]).content.decode()


def test_fragments_hold_no_csrf_token_and_follow_the_language(client, board):
    board["round"].judges_per_entry = 3
    board["round"].save()
    page = client.get(board["url"]).content.decode()
    assert "Tugaskan pengganti" in page  # the short-of-judges forms, rendered per request with a token
    round_ = Round.objects.get(pk=board["round"].pk)
    dashboard = round_cache.RoundDashboard(round_, list(round_.criteria.all()), lambda rows: _head(rows))
    for name in round_cache.HTML_FRAGMENTS:
        assert "csrfmiddlewaretoken" not in dashboard.fragments("head")[name]
    with translation.override("en"):
        english = client.get(board["url"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Judge" in english and "Selected" in english


def test_replacement_choices_are_the_ten_least_loaded(client, board):
    round_ = board["round"]
    round_.judges_per_entry = 3
    round_.save()
    for i in range(12):
        add_judge(round_, full_name=f"Cadangan {i:02d}")
    page = client.get(board["url"]).content.decode()
    form = page.split('data-short="E1"')[1].split("</form>")[0]
    assert form.count("<option") == round_cache.CANDIDATES_SHOWN


def _values(round_, **values):
    return {c.pk: (values[c.key], "") for c in round_.criteria.all()}


def _head(rows):
    return {
        "rows": rows,
        "mode": "head",
        "page": None,
        "page_numbers": range(1, 2),
        "total": len(rows),
        "shown": len(rows),
        "partial": False,
        "page_size": 250,
    }


def test_distribution_counts_only_the_rounds_final_unrecused_sheets():
    round_ = make_round(CRITERIA, k=2)
    other_round = make_round(CRITERIA, competition=round_.competition, slug="presentasi", order=2)
    judges = [add_judge(round_, full_name=f"Juri {i}") for i in range(3)]
    expected = {judge.pk: [] for judge in judges}
    for i in range(12):
        entry = add_entry(round_, f"D{i:02d}")
        other_round.round_entries.create(entry=entry, source="previous_round")
        for j, judge in enumerate(judges):
            a, b = 1 + (i * 3 + j) % 10, 1 + (i + j) % 5
            state = "draft" if (i + j) % 7 == 0 else "final"
            add_sheet(round_, entry, judge, {"a": a, "b": b}, state=state)
            add_sheet(other_round, entry, judge, {"a": 10, "b": 5})  # another round's sheets never count here
            recused = (i, j) == (4, 1)
            if recused:
                Conflict.objects.create(
                    competition=round_.competition, judge=judge, entry=entry, reason="x", source="declared"
                )
            if state == "final" and not recused:
                expected[judge.pk].append((3 * 100 * (a - 1) / 9 + 100 * (b - 1) / 4) / 4)
    from judging.scoring.queries import judge_distribution

    got = judge_distribution(round_)
    for judge_id, totals in expected.items():
        bins = [0] * 10
        for t in totals:
            bins[min(int(t // 10), 9)] += 1
        assert got[judge_id]["bins"] == bins
        assert got[judge_id]["n"] == len(totals)
        assert got[judge_id]["mean"] == pytest.approx(sum(totals) / len(totals))


def test_the_short_list_is_read_again_when_an_assignment_changes_not_when_a_sheet_does(client, board):
    """During live scoring the entries short of judges are kept from the figures before when only sheets changed;
    an assignment, a conflict or a judge's new name shows on the next request all the same."""
    round_ = board["round"]
    page = client.get(board["url"]).content.decode()
    short = page.split('id="short-h"')[1].split("</section>")[0]
    assert 'data-short="E1"' in short and 'data-short="E2"' in short  # k = 2: both have fewer judges
    assert "Juri Dua (0)" in short  # E1's replacement choice and its load
    organiser = OrganiserFactory()
    _key, held = round_cache.round_figures(round_, list(round_.criteria.all()))
    sheet = ScoreSheet.objects.get(assignment__entry=board["first"])
    services.unlock_sheet(sheet=sheet, actor=organiser, reason="Salah ketik")
    _key, after_unlock = round_cache.round_figures(round_, list(round_.criteria.all()))
    assert after_unlock["short"] is held["short"]  # a sheet changed: the list is the one before

    assignment = services.assign(round_=round_, entry=board["second"], judge=board["other"])
    page = client.get(board["url"]).content.decode()
    short = page.split('id="short-h"')[1].split("</section>")[0]
    assert "Juri Dua (1)" in short  # the new assignment is the judge's load at once
    services.submit_sheet(assignment=assignment, judge=board["other"], values=_values(round_, a=3, b=2), version=0)
    board["other"].full_name = "Juri Dua Berganti Nama"
    board["other"].save()
    page = client.get(board["url"]).content.decode()
    assert "Juri Dua Berganti Nama (1)" in page.split('id="short-h"')[1].split("</section>")[0]
