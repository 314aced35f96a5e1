"""The judge's queue and sheet pages are gzipped for a browser that accepts it (a phone on a slow connection, issue 15
item 8); other pages are not (docs/security.md, BREACH)."""

import gzip

import pytest
from django.urls import reverse

from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge_pages(client):
    round_ = make_round([("kebaruan", 1, 1, 10), ("signifikansi", 2, 1, 10)], kind="presentation")
    judge = add_judge(round_)
    assignment = add_sheet(round_, add_entry(round_, "GZ-001"), judge, {}, assign_only=True)
    client.force_login(judge)
    return {
        "queue": reverse("judging:queue", args=[round_.competition.slug, round_.slug]),
        "sheet": reverse("judging:sheet", args=[assignment.pk]),
        "my_rounds": reverse("judging:my_rounds"),
    }


@pytest.mark.parametrize("name", ["queue", "sheet"])
def test_the_judges_pages_come_gzipped_and_decode_to_the_page(client, judge_pages, name):
    plain = client.get(judge_pages[name])
    packed = client.get(judge_pages[name], HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "GZ-001" in page
    assert len(packed.content) < len(page.encode()) / 2


def test_other_pages_are_not_compressed(client, judge_pages):
    response = client.get(judge_pages["my_rounds"], HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
