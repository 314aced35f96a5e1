"""The judge's queue with many assignments: open sheets first and paged, finished ones folded and paged, so the
page stays light on a phone (issue 18: the queue at M was 128 kB)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.scoring.queries.progress import QUEUE_DONE_PAGE_SIZE, QUEUE_OPEN_PAGE_SIZE
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.pages import page_body

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]


def _round_with(final, draft, unstarted):
    round_ = make_round(CRITERIA, k=1, slug=f"babak-{final}-{draft}-{unstarted}")
    judge = add_judge(round_)
    for i in range(final):
        add_sheet(round_, add_entry(round_, f"F{i:03d}", minutes=i), judge, {"a": 5, "b": 5})
    for i in range(draft):
        add_sheet(round_, add_entry(round_, f"D{i:03d}", minutes=500 + i), judge, {"a": 5}, state="draft")
    for i in range(unstarted):
        add_sheet(round_, add_entry(round_, f"U{i:03d}", minutes=900 + i), judge, {}, assign_only=True)
    return round_, judge


def _get(client, round_, judge, query=""):
    client.force_login(judge)
    url = reverse("judging:queue", args=[round_.competition.slug, round_.slug]) + query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return page_body(response), len(ctx.captured_queries)


def _codes(body, list_id):
    part = body.split(f'id="{list_id}"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-entry="([^"]+)"', part)


def test_open_sheets_come_first_and_finished_ones_are_folded_and_paged(client):
    round_, judge = _round_with(final=QUEUE_DONE_PAGE_SIZE + 5, draft=2, unstarted=1)
    body, _ = _get(client, round_, judge)
    assert _codes(body, "queue-open") == ["D000", "D001", "U000"]
    done = re.findall(r'data-entry="(F\d+)"', body)
    assert done == [f"F{i:03d}" for i in range(QUEUE_DONE_PAGE_SIZE)]  # the first page of finished sheets only
    assert f"{QUEUE_DONE_PAGE_SIZE + 5} dari {QUEUE_DONE_PAGE_SIZE + 8} final" in body
    assert '<details class="judge-queue-done" id="queue-done">' in body  # folded
    assert "?selesai=2#queue-done" in body
    body2, _ = _get(client, round_, judge, "?selesai=2")
    second = range(QUEUE_DONE_PAGE_SIZE, QUEUE_DONE_PAGE_SIZE + 5)
    assert re.findall(r'data-entry="(F\d+)"', body2) == [f"F{i:03d}" for i in second]
    assert 'id="queue-done" open' in body2  # the page asked for shows its list unfolded
    assert f"Lembar {QUEUE_DONE_PAGE_SIZE + 1}-{QUEUE_DONE_PAGE_SIZE + 5} dari {QUEUE_DONE_PAGE_SIZE + 5}." in body2
    assert f"Lembar 1-{QUEUE_DONE_PAGE_SIZE} dari" in body
    assert _codes(body2, "queue-open") == ["D000", "D001", "U000"]  # open sheets stay on top


def test_many_open_sheets_are_paged_and_odd_page_numbers_are_clamped(client):
    round_, judge = _round_with(final=0, draft=0, unstarted=QUEUE_OPEN_PAGE_SIZE + 3)
    body, _ = _get(client, round_, judge)
    assert len(_codes(body, "queue-open")) == QUEUE_OPEN_PAGE_SIZE
    assert "?halaman=2#queue-open-h" in body and "queue-done" not in body
    body2, _ = _get(client, round_, judge, "?halaman=2")
    assert _codes(body2, "queue-open") == [f"U{i:03d}" for i in range(QUEUE_OPEN_PAGE_SIZE, QUEUE_OPEN_PAGE_SIZE + 3)]
    for odd in ("?halaman=99", "?halaman=-1", "?halaman=x", "?selesai=abc"):
        assert _get(client, round_, judge, odd)[0].count('data-entry="U') in (3, QUEUE_OPEN_PAGE_SIZE)


def test_the_queue_reads_as_many_queries_with_one_and_with_many_assignments(client):
    small = _get(client, *_round_with(final=1, draft=1, unstarted=1))[1]
    large = _get(client, *_round_with(final=QUEUE_DONE_PAGE_SIZE * 2, draft=QUEUE_OPEN_PAGE_SIZE + 1, unstarted=4))[1]
    assert small == large
