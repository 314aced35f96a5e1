"""The phone section of `make bench` (bench/measure/phone.py): its round. Its measurements in Chromium:
tests/e2e/test_bench_phone.py."""

import pytest
from django.urls import reverse

from bench.measure.phone_fixture import ENTRIES, FILL, pages, phone_round
from entries.models import ProposalAnswer
from judging.models import ScoreSheet
from kipp.text import count_words
from tests.pages import page_body


@pytest.mark.django_db
def test_the_phone_round_is_open_with_proposals_as_long_as_real_ones(client, media_root):
    round_, judge = phone_round()
    assert phone_round()[0].pk == round_.pk  # seeded once, then reused
    assert (round_.kind, round_.state) == ("presentation", "open")
    assert round_.round_entries.count() == ENTRIES
    states = list(ScoreSheet.objects.filter(assignment__round=round_, assignment__judge=judge).values_list("state"))
    assert sorted(s for (s,) in states) == ["draft"] * 2 + ["final"] * 20
    for answer in ProposalAnswer.objects.filter(entry__competition=round_.competition).select_related("section")[:8]:
        assert count_words(answer.text) == int(answer.section.word_limit * FILL)

    paths = pages(round_, judge)
    assert paths["queue"] == reverse("judging:queue", args=[round_.competition.slug, round_.slug])
    client.force_login(judge)
    sheet = client.get(paths["sheet"])
    assert sheet.status_code == 200
    assert "Kirim final" in page_body(sheet)  # a sheet not started: the form is open
    answer = ProposalAnswer.objects.filter(entry=sheet.context["entry"]).order_by("section__order").last()
    assert answer.text.split("\n\n")[0] in page_body(sheet)
