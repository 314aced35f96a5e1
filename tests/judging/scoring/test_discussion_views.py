"""The discussion pages for each person: the panel sees each other's sheets with names and comments, comments and
revises; a conflicted or unassigned judge, an entrant and the public never see the thread; organisers see the list
and every thread, start and close the discussion. Refused forms keep what was typed; list pages keep their query
count with one and with many rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.models import Conflict, Discussion, DiscussionComment, Score, SheetTotal
from judging.scoring.discussion import services as ds
from kipp.models import AuditEvent
from tests.factories import InnovatorFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.pages import page_body

pytestmark = pytest.mark.django_db


def _scene(n_entries=1):
    """n_entries entries ranked around the cut (top_n=1), each judged 90 / 50 / 70 by three judges."""
    round_ = make_round([("a", 1, 0, 10)], top_n=1, reserve_n=0, k=3)
    judges = [add_judge(round_, full_name=name) for name in ("Juri Satu", "Juri Dua", "Juri Tiga")]
    round_.discussion_places = max(5, n_entries)
    round_.save()
    entries = []
    for i in range(n_entries):
        entry = add_entry(round_, f"E{i + 1:02d}", minutes=i)
        entries.append(entry)
        for judge, value in zip(judges, (9, 5, 7), strict=True):
            add_sheet(round_, entry, judge, {"a": value})
    organiser = OrganiserFactory(full_name="Biro Organisasi")
    discussion = ds.start_discussion(
        round_=round_, actor=organiser, ends_at=timezone.now() + datetime.timedelta(days=1)
    )
    return round_, judges, entries, organiser, discussion


@pytest.fixture
def scene():
    round_, judges, entries, organiser, discussion = _scene()
    Conflict.objects.create(
        competition=round_.competition,
        round=round_,
        judge=judges[2],
        entry=entries[0],
        source="declared",
        reason="Kerabat",
    )
    return round_, judges, entries[0], organiser, discussion.items.get()


def _client(client, user):
    client.force_login(user)
    return client


def test_a_panel_judge_sees_the_others_scores_names_and_comments(client, scene):
    round_, judges, entry, _organiser, item = scene
    ds.add_comment(item=item, author=judges[1], text="Bukti dampak kurang.")
    Score.objects.filter(sheet__assignment__judge=judges[1], sheet__assignment__entry=entry).update(
        comment="Indikator belum terukur."
    )
    response = _client(client, judges[0]).get(reverse("judging:discussion_thread", args=[item.pk]))
    assert response.status_code == 200
    body = page_body(response)
    assert "Juri Dua" in body and "Bukti dampak kurang." in body
    assert "50,00" in body or "50.00" in body  # Juri Dua's total
    assert "Indikator belum terukur." in body  # the other judge's note on the criterion
    assert "Juri Tiga" not in body  # recused by a conflict: not on the panel
    assert f'action="/penilaian/diskusi/{item.pk}/revisi/"' in body


@pytest.mark.parametrize("who", ["conflicted", "unassigned", "innovator"])
def test_others_never_see_the_thread(client, scene, who):
    round_, judges, entry, _organiser, item = scene
    user = {
        "conflicted": judges[2],
        "unassigned": add_judge(round_, full_name="Juri Lain"),
        "innovator": InnovatorFactory(agency=entry.agency),
    }[who]
    c = _client(client, user)
    response = c.get(reverse("judging:discussion_thread", args=[item.pk]))
    assert response.status_code == 403
    assert "Juri Dua" not in page_body(response)
    response = c.post(reverse("judging:discussion_comment", args=[item.pk]), {"text": "Saya ikut"})
    assert response.status_code == 403
    assert not DiscussionComment.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, scene):
    item = scene[4]
    response = client.get(reverse("judging:discussion_thread", args=[item.pk]))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_a_judge_comments_and_revises_through_the_forms(client, scene):
    round_, judges, entry, _organiser, item = scene
    c = _client(client, judges[1])
    response = c.post(reverse("judging:discussion_comment", args=[item.pk]), {"text": "Saya naikkan nilai."})
    assert response.status_code == 302
    assert DiscussionComment.objects.get().text == "Saya naikkan nilai."
    criterion = round_.criteria.get()
    sheet = judges[1].assignments.get(entry=entry).sheet
    response = c.post(
        reverse("judging:discussion_revise", args=[item.pk]),
        {"version": sheet.version, f"score_{criterion.pk}": 8, f"comment_{criterion.pk}": "", "overall_comment": ""},
        follow=True,
    )
    assert "50,00 → 80,00" in page_body(response) or "50.00 → 80.00" in page_body(response)
    assert SheetTotal.objects.get(sheet=sheet).total == pytest.approx(80.0)


def test_a_revision_after_the_end_is_refused_with_the_end_time_and_keeps_the_typed_values(client, scene):
    round_, judges, entry, _organiser, item = scene
    ended = timezone.make_aware(datetime.datetime(2023, 2, 1, 17, 30))
    Discussion.objects.filter(pk=item.discussion_id).update(
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended
    )
    criterion = round_.criteria.get()
    sheet = judges[1].assignments.get(entry=entry).sheet
    response = _client(client, judges[1]).post(
        reverse("judging:discussion_revise", args=[item.pk]),
        {"version": sheet.version, f"score_{criterion.pk}": 8, "overall_comment": "Catatan baru saya"},
    )
    assert response.status_code == 422
    body = page_body(response)
    assert "berakhir pada 1 Feb 2023 17:30 WITA" in body
    assert SheetTotal.objects.get(sheet=sheet).total == pytest.approx(50.0)


def test_a_refused_comment_keeps_what_was_typed(client, scene):
    _round, judges, _entry, _organiser, item = scene
    Discussion.objects.filter(pk=item.discussion_id).update(closed_at=timezone.now(), closed_by=scene[3])
    response = _client(client, judges[0]).post(
        reverse("judging:discussion_comment", args=[item.pk]), {"text": "Komentar yang terlambat"}
    )
    assert response.status_code == 422
    assert "Komentar yang terlambat" in page_body(response)
    assert not DiscussionComment.objects.exists()


def test_the_organiser_sees_the_list_and_the_thread_and_closes_early(client, scene):
    round_, _judges, entry, organiser, item = scene
    c = _client(client, organiser)
    url = reverse("judging:round_discussion", args=[round_.competition.slug, round_.slug])
    body = page_body(c.get(url))
    assert entry.code in body and "0 total lembar nilai berubah" in body
    thread = page_body(c.get(reverse("judging:discussion_thread", args=[item.pk])))
    assert "Juri Satu" in thread and "revisi/" not in thread  # organisers read; only the panel revises
    dashboard = page_body(c.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])))
    assert "1 proposal didiskusikan" in dashboard
    response = c.post(reverse("judging:discussion_close", args=[round_.competition.slug, round_.slug]))
    assert response.status_code == 302
    assert Discussion.objects.get().closed_by == organiser
    assert AuditEvent.objects.filter(action="judging.discussion_closed", actor=organiser).exists()


def test_the_organiser_starts_a_discussion_from_the_page_and_a_refused_form_keeps_the_times(client):
    round_ = make_round([("a", 1, 0, 10)], top_n=1, reserve_n=0, k=2)
    judges = [add_judge(round_), add_judge(round_)]
    for i in range(2):
        entry = add_entry(round_, f"E{i}", minutes=i)
        for judge, value in zip(judges, (9, 3), strict=True):
            add_sheet(round_, entry, judge, {"a": value})
    c = _client(client, OrganiserFactory())
    url = reverse("judging:discussion_start", args=[round_.competition.slug, round_.slug])
    response = c.post(url, {"starts_at": "2030-01-02T09:00", "ends_at": "2030-01-01T09:00"})
    assert response.status_code == 422
    body = page_body(response)
    assert 'value="2030-01-02T09:00"' in body and "sesudah awalnya" in body
    assert not Discussion.objects.exists()
    response = c.post(url, {"starts_at": "", "ends_at": "2030-01-01T09:00"})
    assert response.status_code == 302
    assert Discussion.objects.get().items.count() == 2


def test_the_judge_sees_a_link_to_open_discussions(client, scene):
    _round, judges, entry, _organiser, _item = scene
    body = page_body(_client(client, judges[0]).get(reverse("judging:my_rounds")))
    assert "1 proposal menunggu diskusi Anda." in body
    mine = page_body(client.get(reverse("judging:my_discussions")))
    assert entry.code in mine
    client.force_login(judges[2])  # conflicted: no link, nothing listed
    assert "menunggu diskusi" not in page_body(client.get(reverse("judging:my_rounds")))
    assert entry.code not in page_body(client.get(reverse("judging:my_discussions")))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["mine", "round", "thread"])
def test_discussion_pages_keep_their_query_count_with_many_rows(client, page):
    counts = []
    for n in (1, 6):
        round_, judges, entries, organiser, discussion = _scene(n)
        for item in discussion.items.all():
            ds.add_comment(item=item, author=judges[0], text="Catatan")
        user, url = {
            "mine": (judges[0], reverse("judging:my_discussions")),
            "round": (organiser, reverse("judging:round_discussion", args=[round_.competition.slug, round_.slug])),
            "thread": (judges[0], reverse("judging:discussion_thread", args=[discussion.items.last().pk])),
        }[page]
        client.force_login(user)
        counts.append(_count(client, url))
        assert discussion.items.count() == n
    assert counts[0] == counts[1]


def test_the_round_settings_form_sets_the_two_discussion_settings_save_reload_save(client):
    round_ = make_round([("a", 1, 0, 10)], state="setup")
    c = _client(client, OrganiserFactory())
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "settings"])
    data = {"name": "Babak Satu", "top_n": 3, "reserve_n": 1, "judges_per_entry": 2, "aggregation": "mean"}
    data |= {"weight": "1", "tie_break_1": "spread", "discussion_spread": "20", "discussion_places": "3"}
    assert c.post(url, data).status_code == 302
    round_.refresh_from_db()
    assert (round_.discussion_spread, round_.discussion_places) == (20, 3)
    page = page_body(c.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])))
    assert 'name="discussion_spread"' in page and 'name="discussion_places" value="3"' in page
    data.pop("discussion_spread")  # not sent: kept
    data["discussion_places"] = ""  # left empty: kept
    data["top_n"] = 4
    assert c.post(url, data).status_code == 302
    round_.refresh_from_db()
    assert (round_.top_n, round_.discussion_spread, round_.discussion_places) == (4, 20, 3)
    data["discussion_spread"] = "101"  # outside 0..100: refused, nothing saved
    response = c.post(url, data)
    assert response.status_code == 400
    round_.refresh_from_db()
    assert round_.discussion_spread == 20
