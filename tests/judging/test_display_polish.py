"""What people read on the judging pages after issue 11: one id per element on the round setup page, decimals
without trailing zeros in the page's language, English plurals, names instead of internal keys, progress that
never claims 100 % early, and the announcement PDF's totals in the request's language."""

import datetime
import io
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from entries.models import ImpactIndicator
from judging.models import AnnouncementRow
from judging.publication import services as pub
from judging.publication.pdf import announcement_pdf
from judging.scoring import services
from kipp.models import User
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5)]


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def _duplicate_ids(body):
    parser = _Ids()
    parser.feed(body)
    return sorted(i for i, n in parser.ids.items() if n > 1)


@pytest.fixture
def open_setup(client):
    round_ = make_round(CRITERIA, top_n=1, reserve_n=0, k=1)
    round_.weight = Decimal("30.000")
    round_.save(update_fields=["weight"])
    add_entry(round_, "E1")
    add_entry(round_, "E2")
    add_judge(round_, full_name="Juri Satu")
    add_judge(round_, full_name="Juri Dua")
    JudgeFactory(full_name="Juri Baru")  # not yet in the round: the "Tambah juri" form lists them
    client.force_login(OrganiserFactory())
    return round_


def _setup_page(client, round_):
    return client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])).content.decode()


def test_round_setup_page_has_no_duplicate_ids_and_keeps_the_posted_names(client, open_setup):
    body = _setup_page(client, open_setup)
    assert _duplicate_ids(body) == []
    for name in ('name="judges"', 'name="entry"', 'name="reason"', 'name="code"', 'name="judge"'):
        assert name in body
    assert 'for="id_assign_judges_0"' in body and 'for="id_addjudges_judges_0"' in body


def test_round_setup_shows_the_final_weight_without_trailing_zeros(client, open_setup):
    body = _setup_page(client, open_setup)
    assert "Bobot di hasil akhir: 30." in body and "30,000" not in body
    client.cookies["django_language"] = "en"
    body = _setup_page(client, open_setup)
    assert "30.000" not in body and ": 30." in body


def test_posted_assignment_still_reads_the_same_names(client, open_setup):
    round_ = open_setup
    entry = round_.round_entries.get(entry__code="E1").entry
    judge = User.objects.get(full_name="Juri Satu")
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "assign"])
    assert client.post(url, {"entry": entry.pk, "judges": [judge.pk]}).status_code == 302
    assert round_.assignments.filter(entry=entry, judge=judge).exists()


# Progress ---------------------------------------------------------------------------------------------------


def test_progress_is_never_rounded_up_to_100(client):
    round_ = make_round(CRITERIA, top_n=1, reserve_n=0, k=1)
    judge = add_judge(round_)
    for i in range(200):
        entry = add_entry(round_, f"E{i:03d}", minutes=i)
        add_sheet(round_, entry, judge, {"a": 5, "b": 3}, state="final" if i else "draft", assign_only=not i)
    client.force_login(OrganiserFactory())
    body = client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])).content
    body = body.decode()
    assert "199 dari 200 lembar nilai final (99%)" in body
    assert "(100%)" not in body and "100%</progress>" not in body and "99%</progress>" in body


# Plurals and names ------------------------------------------------------------------------------------------


@pytest.fixture
def one_short():
    """k=2: E1 scored by both judges, E2 by one only."""
    round_ = make_round(CRITERIA, k=2, top_n=1, reserve_n=0)
    judges = [add_judge(round_), add_judge(round_)]
    e1, e2 = add_entry(round_, "E1"), add_entry(round_, "E2", minutes=1)
    for judge in judges:
        add_sheet(round_, e1, judge, {"a": 9, "b": 4})
    add_sheet(round_, e2, judges[0], {"a": 5, "b": 2})
    add_sheet(round_, e2, judges[1], {}, assign_only=True)
    return round_


def test_english_close_confirm_and_dashboard_use_singular_and_plural(client, one_short):
    round_ = one_short
    client.force_login(OrganiserFactory())
    client.cookies["django_language"] = "en"
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "close"])
    confirm = " ".join(client.post(url).content.decode().split())
    assert "3 of 4 score sheets final; not final: 1 sheet on 1 entry." in confirm
    assert "1 entry will be scored by fewer than 2 judges; it is flagged" in confirm
    assert "1 entries" not in confirm and "1 sheets" not in confirm
    services.close_round(round_=round_, actor=OrganiserFactory(), reason="Waktu habis")
    args = [round_.competition.slug, round_.slug]
    dashboard = client.get(reverse("judging:round_dashboard", args=args)).content.decode()
    assert "1 entry was scored by fewer than 2 judges" in dashboard and "1 judge" in dashboard
    assert "1 judges" not in dashboard and "1 entries" not in dashboard
    prepare = client.get(reverse("judging:announcement_prepare", args=args)).content.decode()
    assert "1 entry was scored by fewer than 2 judges" in prepare and "1 judges" not in prepare


def test_indonesian_close_confirm_keeps_its_sentence(client, one_short):
    round_ = one_short
    client.force_login(OrganiserFactory())
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "close"])
    confirm = " ".join(client.post(url).content.decode().split())
    assert "3 dari 4 lembar nilai final: 1 lembar pada 1 proposal belum final." in confirm


def test_headings_print_names_not_the_rounds_internal_key(client):
    round_, _next, _entries, _judges = closed_round()
    organiser = OrganiserFactory()
    client.force_login(organiser)
    key = f"{round_.competition.slug} / "
    args = [round_.competition.slug, round_.slug]
    prepare = client.get(reverse("judging:announcement_prepare", args=args)).content.decode()
    assert key not in prepare and f"{round_.competition.name} · {round_.name}" in prepare
    a, b = organisers()
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    client.force_login(a)
    manage = client.get(reverse("judging:announcement_manage", args=[announcement.pk])).content.decode()
    assert key not in manage and f"{round_.competition.name} · {round_.name}" in manage
    head = manage.split('id="manage-rows"')[1].split("</thead>")[0]
    assert '<th scope="col">Peringkat</th><th scope="col">Kode</th>' in head and "Menurut peringkat" in head


def test_judges_dashboard_schedule_line_names_the_round():
    round_ = make_round(CRITERIA, kind="presentation", slug="presentasi")
    judge = add_judge(round_)
    html = render_to_string("judging/publication/public/_dashboard_judge.html", {"data": {"rounds": [round_]}})
    assert f"{round_.competition.slug} /" not in html and f"{round_.competition.name} · {round_.name}:" in html
    del judge


# Decimals ---------------------------------------------------------------------------------------------------


def test_indicator_values_show_without_trailing_zeros_and_percent_in_points(client):
    round_ = make_round(CRITERIA, top_n=1, reserve_n=0)
    entry = add_entry(round_, "E1")
    common = {"entry": entry, "baseline_on": datetime.date(2020, 1, 1), "latest_on": datetime.date(2022, 1, 1)}
    ImpactIndicator.objects.create(
        name="Waktu layanan", unit="menit", kind="measure", baseline_value=Decimal("34.5"), latest_value=12, **common
    )
    ImpactIndicator.objects.create(
        name="Cakupan", unit="", kind="percent", baseline_value=Decimal("62.5"), latest_value=40, **common
    )
    client.force_login(InnovatorFactory(agency=entry.agency))
    body = " ".join(client.get(reverse("entries:detail", args=[entry.pk])).content.decode().split())
    assert "34,5 (" in body and "34,50" not in body and "12 (" in body and "12,00" not in body
    assert "<strong>Cakupan</strong> (%):" in body
    assert "-22,5 poin persentase" in body
    client.cookies["django_language"] = "en"
    body = " ".join(client.get(reverse("entries:detail", args=[entry.pk])).content.decode().split())
    assert "34.5 (" in body and "34.50" not in body and "-22.5 percentage points" in body


# The PDF ----------------------------------------------------------------------------------------------------


def _pdf_text(announcement, language):
    row = AnnouncementRow(
        announcement=announcement,
        rank=1,
        total=Decimal("92.2222"),
        entry_code="E1",
        title="Judul",
        agency="Instansi",
        region="Daerah",
        outcome="selected",
        ranked_outcome="selected",
    )
    with translation.override(language):
        content = announcement_pdf(announcement, [row], [])
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_totals_follow_the_language():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, show_totals=True)
    assert "92,22" in _pdf_text(announcement, "id") and "92.22" not in _pdf_text(announcement, "id")
    assert "92.22" in _pdf_text(announcement, "en")


# The innovator's badge --------------------------------------------------------------------------------------


def test_innovators_badge_shows_the_latest_public_outcome_not_the_administrative_status(client):
    round_, _next, entries, _judges = closed_round()
    entry = entries["E1"]
    entry.status = "eligible"
    entry.save(update_fields=["status"])
    client.force_login(InnovatorFactory(agency=entry.agency))

    def badge():
        body = client.get(reverse("kipp:dashboard")).content.decode()
        card = body.split(f'data-entry-code="{entry.code}"')[1]
        return " ".join(card.split('<span class="badge')[1].split("</span>")[0].split(">", 1)[1].split())

    assert badge() == "Lolos seleksi administrasi"  # nothing public yet
    a, b = organisers()
    published(round_, a, b, title="Top 2 Uji")
    assert badge() == "Top 2 Uji: Terpilih"


def test_english_dashboard_counts_one_draft_and_one_recusal_in_the_singular(client):
    round_ = make_round(CRITERIA, k=1, top_n=1, reserve_n=0)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "E1"), judge, {"a": 5}, state="draft")
    recused = add_sheet(round_, add_entry(round_, "E2", minutes=1), judge, {}, assign_only=True)
    services.declare_conflict(assignment=recused, judge=judge, reason="Keluarga")
    client.force_login(OrganiserFactory())
    client.cookies["django_language"] = "en"
    body = client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])).content
    body = " ".join(body.decode().split())
    assert "1 draft." in body and "1 drafts." not in body
    assert "1 assignment recused for a conflict of interest." in body
