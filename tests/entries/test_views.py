import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entries import services
from entries.enums import EntryStatus
from entries.models import Entry, ProposalAnswer
from tests.entries.conftest import make_complete, minimal_pdf, png_bytes, upload
from tests.factories import AgencyFactory, EntryFactory, InnovatorFactory, JudgeFactory, region

XSS = '<script>alert("x")</script><b onmouseover=1>'


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def judge(db):
    return JudgeFactory()


# who may see what -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("innovator", "draft", 200),
        ("colleague", "draft", 200),
        ("other_innovator", "draft", 404),
        ("verifier", "draft", 404),
        ("verifier", "submitted", 200),
        ("other_verifier", "submitted", 404),
        ("organiser", "draft", 200),
        ("judge", "submitted", 404),
    ],
)
def test_detail_page_per_role(client, request, complete_entry, who, status, expected):
    if status == "submitted":
        services.submit_entry(entry=complete_entry, user=complete_entry.created_by)
    user = request.getfixturevalue(who)
    response = login(client, user).get(reverse("entries:detail", args=[complete_entry.pk]))
    assert response.status_code == expected


def test_detail_page_anonymous_redirects_to_login(client, entry):
    response = client.get(reverse("entries:detail", args=[entry.pk]))
    assert response.status_code == 302 and reverse("kipp:login") in response["Location"]


def test_print_view_per_role(client, entry, innovator, other_innovator):
    assert login(client, innovator).get(reverse("entries:print", args=[entry.pk])).status_code == 200
    assert login(client, other_innovator).get(reverse("entries:print", args=[entry.pk])).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("entries:my", "innovator", ["verifier", "organiser", "judge"]),
        ("entries:verify_queue", "verifier", ["innovator", "organiser", "judge"]),
        ("entries:selection", "organiser", ["innovator", "verifier", "judge"]),
        ("entries:organiser_list", "organiser", ["innovator", "verifier", "judge"]),
    ],
)
def test_list_pages_per_role(client, request, url_name, allowed, refused, competition):
    assert login(client, request.getfixturevalue(allowed)).get(reverse(url_name)).status_code == 200
    for who in refused:
        assert login(client, request.getfixturevalue(who)).get(reverse(url_name)).status_code == 403
    client.logout()
    assert client.get(reverse(url_name)).status_code == 302


# innovator pages ------------------------------------------------------------------------------------


def test_create_entry_page(client, innovator, competition, verifier):
    url = reverse("entries:create", args=[competition.slug])
    assert login(client, verifier).get(url).status_code == 403
    response = login(client, innovator).post(url, {"title": "Sapa Masyarakat Sekitar", "group": "umum"})
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("entries:edit", args=[entry.pk])
    assert entry.code.endswith("-001")


def edit_post(entry, **overrides):
    data = {
        "version": entry.version,
        "profile-title": entry.title,
        "profile-group": "umum",
        "profile-stage": "pengembangan",
        "profile-started_on": "2020-01-15",
        "team-TOTAL_FORMS": "2",
        "team-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
    }
    for section in entry.competition.sections.all():
        data[f"answers-section_{section.pk}"] = f"Isi bagian {section.title}"
    data.update(overrides)
    return data


def test_edit_page_saves_draft_with_team_and_indicator(client, entry, innovator):
    url = reverse("entries:edit", args=[entry.pk])
    page = login(client, innovator).get(url)
    assert page.status_code == 200
    assert b'data-word-limit="200"' in page.content and b'class="word-count' in page.content
    data = edit_post(
        entry,
        **{
            "team-0-name": "Dr. Suhaedir Bahtiar",
            "team-0-position": "Kepala UPT SMPN 2 Rumbia",
            "indicators-0-name": "Angka putus sekolah",
            "indicators-0-direction": "lower",
            "indicators-0-baseline_value": "12.5",
            "indicators-0-baseline_on": "2020-07-01",
            "indicators-0-latest_value": "3.1",
            "indicators-0-latest_on": "2022-07-01",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2 and entry.team_members.count() == 1 and entry.indicators.count() == 1
    detail = client.get(reverse("entries:detail", args=[entry.pk])).content.decode()
    assert "<svg" in detail and "Angka putus sekolah" in detail and "membaik" in detail
    assert "style=" not in detail


def test_edit_page_201_words_refused_with_message_and_text_kept(client, entry, innovator):
    section = entry.competition.sections.get(key="ringkasan")
    long_text = "kata " * 201
    response = login(client, innovator).post(
        reverse("entries:edit", args=[entry.pk]), edit_post(entry, **{f"answers-section_{section.pk}": long_text})
    )
    assert response.status_code == 200
    assert "201 kata; batasnya 200 kata" in response.content.decode()
    assert long_text.strip() in response.content.decode()
    assert not ProposalAnswer.objects.filter(entry=entry).exists()


def test_stale_edit_keeps_typed_text_and_warns(client, entry, innovator, colleague):
    data = edit_post(entry, **{"profile-short_name": "Punyaku"})
    services.save_draft(entry=entry, user=colleague, version=entry.version, profile={"short_name": "Rekan"})
    response = login(client, innovator).post(reverse("entries:edit", args=[entry.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Orang lain telah menyimpan proposal ini" in body
    assert 'value="Punyaku"' in body
    entry.refresh_from_db()
    assert entry.short_name == "Rekan"


def test_edit_by_other_agency_is_404_and_after_submit_redirects(client, complete_entry, innovator, other_innovator):
    url = reverse("entries:edit", args=[complete_entry.pk])
    assert login(client, other_innovator).post(url, edit_post(complete_entry)).status_code == 404
    services.submit_entry(entry=complete_entry, user=innovator)
    response = login(client, innovator).post(url, edit_post(complete_entry, **{"profile-title": "Baru"}), follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    complete_entry.refresh_from_db()
    assert complete_entry.title == "Sapa Masyarakat Sekitar"


def test_submit_page_lists_every_problem(client, entry, innovator):
    response = login(client, innovator).get(reverse("entries:submit", args=[entry.pk]))
    body = response.content.decode()
    assert 'id="submit-problems"' in body
    for text in ("Ringkasan", "Kebaruan", "foto", "SK inovator"):
        assert text in body


def test_submit_after_deadline_shows_the_deadline(client, complete_entry, innovator):
    competition = complete_entry.competition
    competition.opens_at = timezone.make_aware(datetime.datetime(2025, 1, 1, 8, 0))
    competition.closes_at = timezone.make_aware(datetime.datetime(2025, 3, 31, 23, 59))
    competition.save()
    response = login(client, innovator).post(reverse("entries:submit", args=[complete_entry.pk]))
    assert response.status_code == 422
    assert "31 Maret 2025, 23:59 WITA" in response.content.decode()
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.DRAFT


def test_upload_views(client, entry, innovator, other_innovator, media_root):
    url = reverse("entries:attachment_add", args=[entry.pk])
    login(client, innovator).post(url, {"kind": "photo", "file": upload("foto.png", png_bytes())})
    login(client, innovator).post(url, {"kind": "decree", "file": upload("sk.pdf", minimal_pdf())})
    response = client.post(url, {"kind": "photo", "file": upload("foto.jpg", b"not an image")}, follow=True)
    assert "bukan gambar" in response.content.decode()
    photo, decree = entry.attachments.order_by("kind")[1], entry.attachments.order_by("kind")[0]
    download = client.get(reverse("entries:attachment", args=[decree.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    thumb = client.get(reverse("entries:attachment_thumb", args=[photo.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    login(client, other_innovator)
    assert client.get(reverse("entries:attachment", args=[decree.pk])).status_code == 404
    assert client.post(url, {"kind": "photo", "file": upload("x.png", png_bytes())}).status_code == 404
    assert entry.attachments.count() == 2


# verifier and organiser pages -----------------------------------------------------------------------


def test_verifier_returns_and_forwards_through_the_page(client, complete_entry, innovator, verifier, other_verifier):
    services.submit_entry(entry=complete_entry, user=innovator)
    url = reverse("entries:verify", args=[complete_entry.pk])
    assert login(client, other_verifier).post(url, {"action": "forward"}).status_code == 404
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.SUBMITTED
    queue = login(client, verifier).get(reverse("entries:verify_queue")).content.decode()
    assert complete_entry.code in queue
    client.post(url, {"action": "return", "note": "Foto kurang jelas"})
    complete_entry.refresh_from_db()
    assert complete_entry.status == EntryStatus.RETURNED
    page = login(client, innovator).get(reverse("entries:edit", args=[complete_entry.pk])).content.decode()
    assert "Foto kurang jelas" in page


def test_organiser_decides_one_and_in_bulk(client, complete_entry, innovator, verifier, organiser, competition):
    other = make_complete(
        EntryFactory(
            competition=competition,
            agency=complete_entry.agency,
            created_by=innovator,
            title="Sapa Masyarakat Sekitar SMS",
        )
    )
    for e in (complete_entry, other):
        services.submit_entry(entry=e, user=innovator)
        services.forward_entry(entry=e, user=verifier)
    login(client, verifier)
    assert client.post(reverse("entries:decide", args=[other.pk]), {"decision": "eligible"}).status_code == 403
    login(client, organiser)
    page = client.get(reverse("entries:selection")).content.decode()
    assert complete_entry.code in page and 'data-check="duplicate"' in page
    client.post(reverse("entries:decide", args=[complete_entry.pk]), {"decision": "ineligible", "reason": "too_young"})
    client.post(reverse("entries:selection"), {"entries": [other.pk], "decision": "eligible"})
    complete_entry.refresh_from_db()
    other.refresh_from_db()
    assert (complete_entry.status, complete_entry.decision_reason) == ("ineligible", "too_young")
    assert other.status == "eligible"
    shown = login(client, innovator).get(reverse("entries:detail", args=[complete_entry.pk])).content.decode()
    assert "Usia inovasi belum memenuhi" in shown


def test_extend_deadline_page(client, entry, organiser, innovator):
    url = reverse("entries:extend_deadline", args=[entry.pk])
    assert login(client, innovator).get(url).status_code == 403
    deadline = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = login(client, organiser).post(url, {"deadline": deadline, "reason": "Gangguan jaringan"})
    assert response.status_code == 302
    assert entry.deadline_extensions.get().reason == "Gangguan jaringan"


def test_organiser_list_filters_search_and_exports(client, organiser, entry, competition):
    EntryFactory(competition=competition, title="Transportation Smart", status="draft")
    login(client, organiser)
    body = client.get(reverse("entries:organiser_list"), {"q": "Transportation"}).content.decode()
    assert "Transportation Smart" in body and entry.title not in body
    csv = client.get(reverse("entries:organiser_list"), {"export": "csv", "q": "Sapa"})
    content = b"".join(csv.streaming_content).decode()
    assert "Sapa Masyarakat Sekitar" in content and "Transportation" not in content
    xlsx = client.get(reverse("entries:organiser_list"), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


# escaping -------------------------------------------------------------------------------------------


def test_html_typed_into_every_text_field_comes_back_escaped(client, entry, innovator, verifier):
    data = edit_post(
        entry,
        **{
            "profile-title": XSS,
            "profile-short_name": XSS[:60],
            "profile-kecamatan": XSS,
            "profile-desa": XSS,
            "profile-supporting_agencies": XSS,
            "team-0-name": XSS,
            "team-0-position": XSS,
            "team-0-contact": XSS,
            "indicators-0-name": XSS,
            "indicators-0-unit": XSS[:40],
            "indicators-0-source": XSS,
            "indicators-0-direction": "higher",
            "indicators-0-baseline_value": "1",
            "indicators-0-baseline_on": "2020-01-01",
            "indicators-0-latest_value": "2",
            "indicators-0-latest_on": "2021-01-01",
        },
    )
    for section in entry.competition.sections.all():
        data[f"answers-section_{section.pk}"] = XSS
    login(client, innovator)
    assert client.post(reverse("entries:edit", args=[entry.pk]), data).status_code == 302
    for url_name in ("entries:detail", "entries:print", "entries:edit"):
        body = client.get(reverse(url_name, args=[entry.pk])).content.decode()
        assert "<script>alert" not in body and "<b onmouseover" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    body = client.get(reverse("entries:my")).content.decode()
    assert "<script>alert" not in body


# query counts ---------------------------------------------------------------------------------------


def make_entries(competition, n, status):
    agency = AgencyFactory(name="Dinas Massal")
    user = InnovatorFactory(agency=agency)
    submitted_at = None if status == "draft" else timezone.now()
    for _ in range(n):
        EntryFactory(competition=competition, agency=agency, created_by=user, status=status, submitted_at=submitted_at)
    return user


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types, sessions) so only the page's own queries differ
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "who", "status"),
    [
        ("entries:organiser_list", "organiser", "submitted"),
        ("entries:selection", "organiser", "forwarded"),
        ("entries:verify_queue", "verifier", "submitted"),
        ("entries:my", "innovator", "draft"),
    ],
)
def test_list_pages_same_query_count_for_1_and_100(client, request, competition, url_name, who, status):
    counts = []
    for n in (1, 100):
        Entry.objects.all().delete()
        owner = make_entries(competition, n, status)
        user = owner if who == "innovator" else request.getfixturevalue(who)
        login(client, user)
        counts.append(count_queries(client, reverse(url_name)))
    assert counts[0] == counts[1]


def test_dashboard_section_for_innovator(client, entry, innovator):
    body = login(client, innovator).get(reverse("kipp:dashboard")).content.decode()
    assert entry.code in body


def test_region_helper(db):
    assert region("73.04").name == "Jeneponto"
