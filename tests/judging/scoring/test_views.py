"""Judging pages for each role: who may and who may not, what they see, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entries.models import Entry
from judging.models import Conflict, ScoreBand, ScoreSheet
from judging.scoring import services
from tests.factories import InnovatorFactory, JudgeFactory, OrganisationFactory, OrganiserFactory, VerifierFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.pages import page_body

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5)]


@pytest.fixture
def world():
    round_ = make_round(CRITERIA, top_n=1, reserve_n=1)
    entry = add_entry(round_, "E1")
    other_entry = add_entry(round_, "E2")
    judge = add_judge(round_, full_name="Juri Satu")
    other = add_judge(round_, full_name="Juri Dua")
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    other_assignment = services.assign(round_=round_, entry=entry, judge=other)
    add_sheet(round_, other_entry, other, {"a": 3, "b": 2})
    return {
        "round": round_,
        "entry": entry,
        "judge": judge,
        "other": other,
        "assignment": assignment,
        "other_assignment": other_assignment,
        "organiser": OrganiserFactory(),
        "innovator": InnovatorFactory(agency=entry.agency),
        "verifier": VerifierFactory(),
    }


def urls(round_):
    args = [round_.competition.slug, round_.slug]
    return {
        "dashboard": reverse("judging:round_dashboard", args=args),
        "setup": reverse("judging:round_setup", args=args),
        "results": reverse("judging:round_download", args=[*args, "hasil", "csv"]),
        "scores": reverse("judging:round_download", args=[*args, "nilai", "csv"]),
        "index": reverse("judging:round_index"),
    }


def test_organiser_pages_are_for_organisers_only(client, world):
    pages = urls(world["round"])
    for role in ("judge", "innovator", "verifier"):
        client.force_login(world[role])
        for url in pages.values():
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "hanya untuk penyelenggara" in response.content.decode()
    client.logout()
    assert client.get(pages["dashboard"]).status_code == 302
    client.force_login(world["organiser"])
    for url in pages.values():
        assert client.get(url).status_code == 200, url


def test_dashboard_shows_ranking_progress_and_downloads(client, world):
    client.force_login(world["organiser"])
    page = client.get(urls(world["round"])["dashboard"]).content.decode()
    assert 'data-entry="E2"' in page and 'data-entry="E1"' in page
    assert "Batas Top 1" in page
    assert "1 dari 3 lembar nilai final" in page
    assert "Juri Dua" in page and "<svg" in page
    csv_text = b"".join(client.get(urls(world["round"])["scores"]).streaming_content).decode()
    assert csv_text.splitlines()[0] == "entry_code,entry_title,judge,criterion,weight,min,max,value,sheet_state,recused"
    results = client.get(urls(world["round"])["results"]).content.decode().splitlines()
    assert results[0] == "rank,entry_code,title,agency,region,total,judges,spread,a,b,outcome"
    assert results[1].startswith("1,E2,")


def test_judge_queue_and_sheet(client, world):
    client.force_login(world["judge"])
    queue = client.get(reverse("judging:queue", args=[world["round"].competition.slug, world["round"].slug]))
    assert queue.status_code == 200
    body = page_body(queue)
    assert "E1" in body and "Belum dimulai" in body and "E2" not in body
    url = reverse("judging:sheet", args=[world["assignment"].pk])
    ScoreBand.objects.create(
        criterion=world["round"].criteria.get(key="a"), min_value=9, max_value=10, text="Sangat baik: bukti kuat"
    )
    page = client.get(url).content.decode()
    assert "Deskriptor nilai" in page and "Sangat baik: bukti kuat" in page
    assert "Simpan draf" in page and "Kirim final" in page and "E1" in page
    ids = {c.key: c.pk for c in world["round"].criteria.all()}
    response = client.post(url, {"version": 0, f"score_{ids['a']}": 7, "action": "save", "overall_comment": "ok"})
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=world["assignment"])
    assert sheet.state == "draft" and sheet.version == 1
    response = client.post(url, {"version": 1, f"score_{ids['a']}": 8, f"score_{ids['b']}": 4, "action": "submit"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "final"
    # a stale tab: refused with a message, nothing changed
    response = client.post(url, {"version": 1, f"score_{ids['a']}": 1, f"score_{ids['b']}": 1, "action": "save"})
    assert response.status_code == 409
    assert "sudah dikirim final" in response.content.decode()
    assert sheet.scores.get(criterion_id=ids["a"]).value == 8


def test_a_sheet_of_a_round_one_has_nothing_to_do_with_is_not_found(client, world):
    """Another organisation's organiser, or a judge of another round, learns not even that the sheet exists (404);
    a fellow judge of the round is told the sheet is not theirs (403, above)."""
    url = reverse("judging:sheet", args=[world["assignment"].pk])
    elsewhere = OrganiserFactory(organisation=OrganisationFactory(slug="organisasi-lain"))
    for person in (elsewhere, JudgeFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 0, "action": "save"}).status_code == 404
    assert not ScoreSheet.objects.filter(assignment=world["assignment"]).exists()


def test_score_outside_the_scale_is_refused_by_the_form(client, world):
    client.force_login(world["judge"])
    ids = {c.key: c.pk for c in world["round"].criteria.all()}
    url = reverse("judging:sheet", args=[world["assignment"].pk])
    response = client.post(url, {"version": 0, f"score_{ids['b']}": 9, "action": "save"})
    assert response.status_code == 400
    assert not ScoreSheet.objects.filter(assignment=world["assignment"]).exists()


def test_a_judge_cannot_open_another_judges_sheet(client, world):
    client.force_login(world["judge"])
    url = reverse("judging:sheet", args=[world["other_assignment"].pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "bukan milik Anda" in response.content.decode()
    response = client.post(url, {"version": 0, "action": "save"})
    assert response.status_code == 403
    assert not ScoreSheet.objects.filter(assignment=world["other_assignment"]).exists()


@pytest.mark.parametrize("role", ["innovator", "verifier"])
def test_entrants_open_no_sheet_and_no_ranking(client, world, role):
    client.force_login(world[role])
    for assignment in ("assignment", "other_assignment"):
        response = client.get(reverse("judging:sheet", args=[world[assignment].pk]))
        assert response.status_code == 404  # not a judge of the round: not even that the sheet exists
        page = response.content.decode()
        assert "Juri Satu" not in page and "Juri Dua" not in page
    assert client.get(urls(world["round"])["dashboard"]).status_code == 403
    assert client.get(reverse("judging:my_rounds")).status_code == 403


def test_a_conflicted_judge_cannot_open_the_entrys_sheet(client, world):
    Conflict.objects.create(
        competition=world["round"].competition,
        judge=world["judge"],
        entry=world["entry"],
        source="organiser",
        reason="Istri kepala dinas",
    )
    client.force_login(world["judge"])
    response = client.get(reverse("judging:sheet", args=[world["assignment"].pk]))
    assert response.status_code == 403
    assert "konflik kepentingan" in response.content.decode()


def test_judge_declares_a_conflict(client, world):
    client.force_login(world["judge"])
    url = reverse("judging:declare_conflict", args=[world["assignment"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Saya pernah menjadi konsultan inovasi ini"})
    assert response.status_code == 302
    conflict = Conflict.objects.get(judge=world["judge"])
    assert conflict.source == "declared" and conflict.round == world["round"]
    client.force_login(world["other"])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_organiser_reads_any_sheet_and_unlocks_a_final_one(client, world):
    sheet = ScoreSheet.objects.get(assignment__judge=world["other"])
    client.force_login(world["organiser"])
    page = client.get(reverse("judging:sheet", args=[sheet.assignment_id])).content.decode()
    assert "Buka kunci lembar nilai" in page and "Simpan draf" not in page
    response = client.post(reverse("judging:sheet_unlock", args=[sheet.pk]), {"reason": "Salah ketik nilai"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "draft"
    client.force_login(world["judge"])
    assert client.post(reverse("judging:sheet_unlock", args=[sheet.pk]), {"reason": "x"}).status_code == 403


def test_organiser_round_actions(client, world):
    client.force_login(world["organiser"])
    round_ = world["round"]
    base = [round_.competition.slug, round_.slug]
    # the world's sheets are not all final: closing asks for a reason first (a page of its own), then closes
    response = client.post(reverse("judging:round_action", args=[*base, "close"]))
    assert response.status_code == 200 and 'id="close-reason"' in response.content.decode()
    response = client.post(reverse("judging:round_action", args=[*base, "close"]), {"reason": "Juri berhalangan"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.state == "closed" and round_.snapshots.count() == 1
    response = client.post(reverse("judging:round_action", args=[*base, "reopen"]), {"reason": ""}, follow=True)
    assert "alasan" in response.content.decode()
    round_.refresh_from_db()
    assert round_.state == "closed"
    client.post(reverse("judging:round_action", args=[*base, "reopen"]), {"reason": "Nilai juri tertinggal"})
    round_.refresh_from_db()
    assert round_.state == "open"
    snapshot = round_.snapshots.get()
    assert client.get(reverse("judging:snapshot", args=[*base, snapshot.pk])).status_code == 200
    client.force_login(world["judge"])
    assert client.post(reverse("judging:round_action", args=[*base, "close"])).status_code == 403


def _big_round(n):
    round_ = make_round(CRITERIA, top_n=3, reserve_n=2)
    judges = [add_judge(round_) for _ in range(3)]
    for i in range(n):
        entry = add_entry(round_, f"Q{i:04d}")
        for j, judge in enumerate(judges):
            add_sheet(round_, entry, judge, {"a": 1 + (i + j) % 10, "b": 1 + i % 5}, state="final" if j else "draft")
    return round_, judges


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_queue_query_counts_do_not_grow_with_entries(client):
    counts = []
    for n in (10, 500):
        round_, judges = _big_round(n)
        client.force_login(OrganiserFactory())
        dashboard = _count(client, urls(round_)["dashboard"])
        client.force_login(judges[0])
        queue = _count(client, reverse("judging:queue", args=[round_.competition.slug, round_.slug]))
        counts.append((dashboard, queue))
    assert counts[0] == counts[1], counts


def test_dashboard_shows_a_window_around_the_cut_and_pages_through_the_rest(client):
    round_ = make_round(CRITERIA, top_n=50, reserve_n=5)
    judge = add_judge(round_)
    for i in range(300):
        add_sheet(round_, add_entry(round_, f"W{i:04d}"), judge, {"a": 1 + i % 10, "b": 1 + i % 5})
    client.force_login(OrganiserFactory())
    url = urls(round_)["dashboard"]
    page = client.get(url).content.decode()
    assert 'data-rank="60"' in page and 'data-rank="300"' not in page
    assert "Batas Top 50" in page and "outcome-reserve" in page and "near-cut" in page
    assert "?halaman=2" in page and "?semua=1" in page
    page2 = client.get(url, {"halaman": 2}).content.decode()
    assert 'data-rank="300"' in page2 and 'data-rank="60"' not in page2
    everything = client.get(url, {"semua": 1}).content.decode()
    assert 'data-rank="1"' in everything and 'data-rank="300"' in everything


def test_nav_items_per_role(client, world):
    client.force_login(world["judge"])
    assert "Penilaian saya" in client.get(reverse("kipp:dashboard")).content.decode()
    client.force_login(world["organiser"])
    assert "Babak penilaian" in client.get(reverse("kipp:dashboard")).content.decode()
    client.force_login(world["innovator"])
    page = client.get(reverse("kipp:dashboard")).content.decode()
    assert "Penilaian saya" not in page and "Babak penilaian" not in page


def test_round_index_and_my_rounds_query_counts_do_not_grow_with_rounds(client):
    judge = JudgeFactory()
    organiser = OrganiserFactory()
    counts = []
    for n in (1, 4):
        for i in range(n):
            round_ = make_round(CRITERIA, slug=f"babak-{n}-{i}")
            add_sheet(round_, add_entry(round_, f"R{n}-{i}"), judge, {"a": 5, "b": 3})
        client.force_login(organiser)
        index = _count(client, reverse("judging:round_index"))
        client.force_login(judge)
        mine = _count(client, reverse("judging:my_rounds"))
        counts.append((index, mine))
    assert counts[0] == counts[1], counts


def test_organiser_sets_up_a_round_through_the_pages(client):
    from judging.models import Assignment, Round
    from tests.factories import CompetitionFactory, EntryFactory
    from tests.judging.scoring.helpers import BASE_TIME

    competition = CompetitionFactory()
    for i in range(4):
        EntryFactory(
            competition=competition, code=f"S-{i}", status="eligible", submitted_at=BASE_TIME, decided_at=BASE_TIME
        )
    judges = [JudgeFactory() for _ in range(3)]
    client.force_login(OrganiserFactory())
    response = client.post(
        reverse("judging:round_create", args=[competition.slug]),
        {
            "name": "Penilaian proposal",
            "slug": "penilaian-proposal",
            "kind": "desk",
            "top_n": 2,
            "reserve_n": 1,
            "judges_per_entry": 2,
            "aggregation": "median",
            "weight": "70",
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(competition=competition)
    assert round_.criteria.count() == 7 and round_.round_entries.count() == 4
    base = [competition.slug, round_.slug]
    client.post(reverse("judging:round_action", args=[*base, "judges"]), {"judges": [j.pk for j in judges]})
    client.post(reverse("judging:round_action", args=[*base, "auto-assign"]))
    assert Assignment.objects.filter(round=round_).count() == 8
    response = client.post(
        reverse("judging:round_action", args=[*base, "criterion"]),
        {
            "new-key": "kebaruan",
            "new-title": "Lagi",
            "new-weight": "5",
            "new-scale_min": 1,
            "new-scale_max": 10,
            "new-order": 9,
        },
        follow=True,
    )
    assert "sudah dipakai" in response.content.decode()
    client.post(reverse("judging:round_action", args=[*base, "open"]))
    round_.refresh_from_db()
    assert round_.state == "open"
    page = client.get(reverse("judging:round_setup", args=base)).content.decode()
    assert "Tutup penilaian" in page


def test_the_organiser_goes_from_the_ranking_to_an_entrys_sheets_and_unlocks_one(client, world):
    """The number of judges in the ranking table links to the entry's sheets: each judge's sheet with its state,
    total and time, and a link to the sheet, where a final one is unlocked; back on the list it is a draft."""
    round_, other_entry = world["round"], Entry.objects.get(code="E2")
    client.force_login(world["organiser"])
    url = reverse("judging:entry_sheets", args=[round_.competition.slug, round_.slug, other_entry.pk])
    dashboard = client.get(urls(round_)["dashboard"]).content.decode()
    assert f'<a class="d-inline-block px-2 py-1" href="{url}" aria-label="Lembar nilai E2: 1 juri">1</a>' in dashboard
    page = client.get(url).content.decode()
    sheet = ScoreSheet.objects.get(assignment__entry=other_entry)
    assert 'data-judge="' + world["other"].email + '" data-state="final"' in page
    assert "Juri Dua" in page and "22,92" in page  # (3 x 100 x 2/9 + 1 x 100 x 1/4) / 4
    assert reverse("judging:sheet", args=[sheet.assignment_id]) in page
    assert "Buka lembar (baca atau buka kunci)" in page
    sheet_page = client.get(reverse("judging:sheet", args=[sheet.assignment_id])).content.decode()
    assert "Buka kunci lembar nilai" in sheet_page
    assert f'<a href="{url}" id="sheet-entry-sheets">Lembar nilai E2</a>' in sheet_page  # the way back
    client.post(reverse("judging:sheet_unlock", args=[sheet.pk]), {"reason": "Salah ketik nilai"})
    page = client.get(url).content.decode()
    assert 'data-state="draft"' in page and "22,92" not in page
    first = client.get(
        reverse("judging:entry_sheets", args=[round_.competition.slug, round_.slug, world["entry"].pk])
    ).content.decode()
    assert first.count('data-state="none"') == 2 and "Juri Satu" in first and "Belum dimulai" in first
    type(round_).objects.filter(pk=round_.pk).update(state="closed")  # a closed round: its sheets are only read
    closed = client.get(url).content.decode()
    assert 'id="entry-sheets-read-only"' in closed and "buka kunci)" not in closed


def test_an_entrys_sheets_are_for_the_rounds_organisers_only(client, world):
    round_ = world["round"]
    url = reverse("judging:entry_sheets", args=[round_.competition.slug, round_.slug, world["entry"].pk])
    client.force_login(world["judge"])
    assert client.get(url).status_code == 403
    client.force_login(OrganiserFactory(organisation=OrganisationFactory(slug="organisasi-lain")))
    assert client.get(url).status_code == 404
    client.force_login(world["organiser"])
    elsewhere = make_round(CRITERIA, slug="babak-lain")
    outside = add_entry(elsewhere, "X1")
    assert client.get(url.replace(f"/{world['entry'].pk}/", f"/{outside.pk}/")).status_code == 404
