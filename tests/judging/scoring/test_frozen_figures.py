"""A closed or published round's figures are its snapshot, never the live sheets (issue 17, item 2): a sheet changed
in the database after the round closed moves nothing on the organiser's dashboard or certainty page, and publishing
copies the snapshot the round was closed with."""

import pytest
from django.urls import reverse

from judging.models import RankingSnapshot, Score, ScoreSheet
from judging.scoring import queries, services
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 1, 0, 10)]


@pytest.fixture
def closed():
    """E1 (totals 90, 80: 85.00) above E2 (70, 60: 65.00); Top 1; closed."""
    round_ = make_round(CRITERIA, k=2, top_n=1, reserve_n=0)
    judges = [add_judge(round_), add_judge(round_)]
    e1, e2 = add_entry(round_, "E1"), add_entry(round_, "E2", minutes=1)
    for judge, (v1, v2) in zip(judges, [(9, 7), (8, 6)], strict=True):
        add_sheet(round_, e1, judge, {"a": v1})
        add_sheet(round_, e2, judge, {"a": v2})
    organiser = OrganiserFactory()
    services.close_round(round_=round_, actor=organiser)
    round_.refresh_from_db()
    return round_, judges, organiser


def _tamper(round_, judge):
    """What the finding did through a recusal, done straight in the database: E2 now beats E1 in the live sheets."""
    Score.objects.filter(sheet__assignment__round=round_, sheet__assignment__entry__code="E2").update(value=10)
    ScoreSheet.objects.filter(assignment__round=round_, assignment__entry__code="E1", assignment__judge=judge).update(
        state="draft"
    )
    live = queries.round_ranking(round_)
    assert [row["entry_code"] for row in live] == ["E2", "E1"]  # the live sheets did move


def _dashboard_ranking(client, round_):
    page = client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    return page.context["window"]["total"], body


@pytest.mark.parametrize("published", [False, True])
def test_the_dashboard_of_a_closed_round_shows_the_figures_it_was_closed_with(client, closed, published):
    round_, judges, organiser = closed
    if published:
        services.publish_round(round_=round_, actor=organiser)
        round_.refresh_from_db()
    client.force_login(organiser)
    _dashboard_ranking(client, round_)  # the figures are cached now: the change below must not be read either way
    _tamper(round_, judges[1])
    _total, body = _dashboard_ranking(client, round_)
    assert body.index('data-entry="E1"') < body.index('data-entry="E2"')
    assert "85,00" in body and "65,00" in body and "100,00" not in body
    assert 'id="ranking-frozen"' in body and "dari potret peringkat" in body
    assert [row["entry_code"] for row in queries.round_figures_ranking(round_)] == ["E1", "E2"]


def test_the_certainty_page_of_a_closed_round_ranks_as_it_was_closed(client, closed):
    round_, judges, organiser = closed
    _tamper(round_, judges[1])
    client.force_login(organiser)
    page = client.get(reverse("judging:round_certainty", args=[round_.competition.slug, round_.slug]))
    assert page.status_code == 200
    rows = page.context["result"]["rows"]
    assert [(row.rank, row.entry_code, round(row.total, 2)) for row in rows] == [(1, "E1", 85.0), (2, "E2", 65.0)]


def test_publishing_copies_the_snapshot_the_round_was_closed_with(closed):
    round_, judges, organiser = closed
    closing = RankingSnapshot.objects.get(round=round_)
    _tamper(round_, judges[1])
    services.publish_round(round_=round_, actor=organiser)
    publishing = RankingSnapshot.objects.filter(round=round_).latest("id")
    assert publishing.reason == "publish" and publishing.pk != closing.pk
    assert publishing.rows == closing.rows and publishing.criteria == closing.criteria


def test_an_open_round_still_shows_its_live_figures(client):
    round_ = make_round(CRITERIA, k=1, top_n=1, reserve_n=0)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "E1"), judge, {"a": 4})
    client.force_login(OrganiserFactory())
    _total, body = _dashboard_ranking(client, round_)
    assert "40,00" in body and 'id="ranking-frozen"' not in body
    Score.objects.filter(sheet__assignment__round=round_).update(value=6)
    _total, body = _dashboard_ranking(client, round_)
    assert "60,00" in body


def test_after_reopening_the_dashboard_is_live_again(client, closed):
    round_, judges, organiser = closed
    services.reopen_round(round_=round_, actor=organiser, reason="Lembar nilai keliru")
    round_.refresh_from_db()
    _tamper(round_, judges[1])
    client.force_login(organiser)
    _total, body = _dashboard_ranking(client, round_)
    assert body.index('data-entry="E2"') < body.index('data-entry="E1"')
