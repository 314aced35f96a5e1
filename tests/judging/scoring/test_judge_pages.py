"""What judges see of a round (issue 17, findings 8 and 9, item 11): only their own round's pages; never the code,
title or link of an entry a conflict of interest keeps from them (a count only); "Diumumkan" only once the round's
announcement is public."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.models import Conflict, Round
from judging.scoring.schedule import services as schedule
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.pages import page_body

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]
NOT_YOURS = "Anda bukan juri babak"
WITHHELD = "tidak ditampilkan karena konflik kepentingan"


@pytest.fixture
def rounds():
    """A field round (panelist 1 verifies F1) and a presentation round with a schedule (panelist 2 scores P1 and P2),
    in one competition; panelist 2 has a conflict with P2."""
    field = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", order=3, k=1)
    competition = field.competition
    f1 = add_entry(field, "F1")
    panelist1 = add_judge(field)
    add_sheet(field, f1, panelist1, {}, assign_only=True)
    talk = make_round(CRITERIA, competition=competition, kind="presentation", slug="presentasi", order=2, k=1)
    panelist2 = add_judge(talk)
    entries = [add_entry(talk, code, minutes=i) for i, code in enumerate(["P1", "P2"])]
    for entry in entries:
        add_sheet(talk, entry, panelist2, {}, assign_only=True)
    Conflict.objects.create(
        competition=competition, round=talk, judge=panelist2, entry=entries[1], source="declared", reason="Kerabat"
    )
    organiser = OrganiserFactory()
    schedule.generate_schedule(round_=talk, actor=organiser, days=[datetime.date(2023, 3, 6)], room="A")
    return {"field": field, "talk": talk, "panelist1": panelist1, "panelist2": panelist2, "organiser": organiser}


def _pages(round_):
    args = [round_.competition.slug, round_.slug]
    pages = {
        "queue": reverse("judging:queue", args=args),
        "schedule": reverse("judging:schedule_print", args=args),
    }
    if round_.kind == "field":
        pages["field"] = reverse("judging:field_index", args=args)
    return pages


@pytest.mark.parametrize("which", ["field", "talk"])
def test_each_round_page_is_for_its_own_judges_and_the_organisers(client, rounds, which):
    round_ = rounds[which]
    own, other = (
        (rounds["panelist1"], rounds["panelist2"]) if which == "field" else (rounds["panelist2"], rounds["panelist1"])
    )
    for name, url in _pages(round_).items():
        client.force_login(own)
        assert client.get(url).status_code == 200, (name, "own judge")
        client.force_login(other)
        response = client.get(url)
        assert response.status_code == 403, (name, "judge of another round")
        assert NOT_YOURS in response.content.decode() and round_.name in response.content.decode()
        client.force_login(JudgeFactory())
        assert client.get(url).status_code == 403, (name, "judge of no round")
        client.force_login(InnovatorFactory())
        assert client.get(url).status_code == 403, (name, "innovator")
        client.force_login(rounds["organiser"])
        response = client.get(url)
        if name == "queue":  # the organiser has no queue of their own: the round's dashboard shows every judge's
            assert response.status_code == 302
            assert response["Location"] == reverse(
                "judging:round_dashboard", args=[round_.competition.slug, round_.slug]
            )
        else:
            assert response.status_code == 200, (name, "organiser")
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)), name


def test_the_finding_panelist1_no_longer_opens_a_field_round_that_is_not_theirs(client, rounds):
    """The finding: a judge who is not in the field round opened its page, empty, with a 200."""
    client.force_login(rounds["panelist2"])
    response = client.get(_pages(rounds["field"])["field"])
    assert response.status_code == 403
    assert "F1" not in page_body(response)


def test_a_conflicted_entry_is_withheld_from_the_queue_entirely(client, rounds):
    talk, judge = rounds["talk"], rounds["panelist2"]
    p2 = talk.round_entries.get(entry__code="P2").entry
    client.force_login(judge)
    body = page_body(client.get(_pages(talk)["queue"]))
    assert "P1" in body
    assert "P2" not in body and p2.title not in body and str(p2.agency) not in body
    assert reverse("judging:sheet", args=[talk.assignments.get(entry=p2).pk]) not in body
    assert f"1 proposal {WITHHELD}" in body
    assert "1 dari 1 final" not in body and "0 dari 1 final" in body  # the withheld entry is no sheet to finish


def test_a_conflicted_entry_is_withheld_from_the_judges_schedule_but_not_the_organisers(client, rounds):
    talk, judge = rounds["talk"], rounds["panelist2"]
    p2 = talk.round_entries.get(entry__code="P2").entry
    client.force_login(judge)
    body = page_body(client.get(_pages(talk)["schedule"]))
    assert 'data-entry="P1"' in body and "Presentasi (tidak ditampilkan: konflik kepentingan)" in body
    assert "P2" not in body and p2.title not in body
    assert f"1 proposal {WITHHELD}" in body
    client.force_login(rounds["organiser"])
    body = client.get(_pages(talk)["schedule"]).content.decode()
    assert 'data-entry="P2"' in body and WITHHELD not in body


def test_a_queue_without_conflicts_says_nothing_is_withheld(client, rounds):
    client.force_login(rounds["panelist1"])
    body = client.get(_pages(rounds["field"])["queue"]).content.decode()
    assert "F1" in body and WITHHELD not in body


def _queue_queries(client, judge, round_):
    client.force_login(judge)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("judging:queue", args=[round_.competition.slug, round_.slug]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_query_count_does_not_grow_with_conflicts_or_entries(client):
    counts = []
    for n in (1, 12):
        round_ = make_round(CRITERIA, slug=f"babak-{n}", k=1)
        judge = add_judge(round_)
        for i in range(n):
            entry = add_entry(round_, f"Q{n}-{i}", minutes=i)
            add_sheet(round_, entry, judge, {"a": 5, "b": 5})
            conflicted = add_entry(round_, f"C{n}-{i}", minutes=100 + i)
            add_sheet(round_, conflicted, judge, {}, assign_only=True)
            Conflict.objects.create(
                competition=round_.competition,
                round=round_,
                judge=judge,
                entry=conflicted,
                source="organiser",
                reason="x",
            )
        counts.append(_queue_queries(client, judge, round_))
    assert counts[0] == counts[1], counts


def _state_label(client, judge, round_):
    client.force_login(judge)
    queue = client.get(reverse("judging:queue", args=[round_.competition.slug, round_.slug])).content.decode()
    mine = client.get(reverse("judging:my_rounds")).content.decode()
    dashboard = client.get(reverse("kipp:dashboard")).content.decode()
    labels = []
    for page in (queue, mine, dashboard):
        assert 'data-round-state="' in page
        labels.append(page.split('data-round-state="', 1)[1].split('"', 1)[0])
    return labels, (queue, mine)


def test_judges_see_diumumkan_only_once_the_announcement_is_public(client):
    round_, _next, _entries, judges = closed_round()
    a, b = organisers()
    embargo = timezone.now() + datetime.timedelta(hours=2)
    announcement = published(round_, a, b, embargo_until=embargo)
    round_.refresh_from_db()
    assert round_.state == "published"  # approved: the round is published, its announcement under embargo
    labels, pages = _state_label(client, judges[0], round_)
    assert labels == ["closed", "closed", "closed"]
    assert all("Ditutup" in page and "Diumumkan" not in page for page in pages)
    type(announcement).objects.filter(pk=announcement.pk).update(embargo_until=timezone.now())  # the embargo ends
    labels, pages = _state_label(client, judges[0], round_)
    assert labels == ["published", "published", "published"]
    assert all("Diumumkan" in page for page in pages)


def test_a_published_round_without_any_public_announcement_is_shown_closed(client):
    round_ = make_round(CRITERIA, state="published", k=1)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "E1"), judge, {"a": 5, "b": 5})
    labels, _pages = _state_label(client, judge, round_)
    assert labels == ["closed", "closed", "closed"]
    assert Round.objects.get(pk=round_.pk).state == "published"


def test_my_rounds_counts_only_the_sheets_the_judge_scores(client, rounds):
    """panelist 2 scores P1 (not P2, withheld): their rounds page says 0 of 1, then 1 of 1 once P1 is final."""
    talk, judge = rounds["talk"], rounds["panelist2"]
    client.force_login(judge)
    assert "0 dari 1 final" in client.get(reverse("judging:my_rounds")).content.decode()
    sheet = add_sheet(talk, talk.round_entries.get(entry__code="P1").entry, judge, {"a": 5, "b": 5})
    assert sheet.state == "final"
    body = page_body(client.get(reverse("judging:my_rounds")))
    assert "1 dari 1 final" in body and "P2" not in body
