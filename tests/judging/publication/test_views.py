"""Publication pages: nothing of an announcement is visible before approval AND before the embargo time, for every
role and every public URL; downloads; the organiser's pages; query counts of the public list pages."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from judging.models import Announcement, Objection
from judging.publication import services as pub
from tests.factories import InnovatorFactory, JudgeFactory, VerifierFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db

NUMBER = "065/134/II/B"
PUBLIC_URLS = ["judging:public_announcement", "judging:public_pdf", "csv", "xlsx"]


@pytest.fixture
def scene():
    round_, next_round, entries, judges = closed_round()
    a, b = organisers()
    users = {
        "anonymous": None,
        "innovator": InnovatorFactory(agency=entries["E1"].agency),
        "judge": judges[0],
        "other_judge": JudgeFactory(),
        "verifier": VerifierFactory(region=entries["E1"].agency.region),
        "organiser_not_preparer": b,
        "preparer": a,
    }
    return round_, entries, a, b, users


def _url(name, announcement):
    if name in ("csv", "xlsx"):
        return reverse("judging:public_download", args=[announcement.pk, name])
    return reverse(name, args=[announcement.pk])


def _get_all(client, user, announcement, entry):
    client.logout()
    if user is not None:
        client.force_login(user)
    responses = {name: client.get(_url(name, announcement)) for name in PUBLIC_URLS}
    responses["list"] = client.get(reverse("judging:public_list"))
    responses["home"] = client.get(reverse("kipp:home"))
    responses["objection"] = client.post(
        reverse("judging:public_objection", args=[announcement.pk]),
        {"entry": entry.pk, "reason": "Uji", "name": "W", "email": "w@example.org"},
    )
    if user is not None:
        responses["dashboard"] = client.get(reverse("kipp:dashboard"))
        if user.agency_id is not None:
            responses["entry"] = client.get(reverse("entries:detail", args=[entry.pk]))
    return responses


def _assert_hidden(responses, announcement):
    for name in PUBLIC_URLS + ["objection"]:
        assert responses[name].status_code == 404, name
    for name in ("list", "home", "dashboard", "entry"):
        if name in responses:
            body = responses[name].content.decode()
            assert responses[name].status_code == 200, name
            assert NUMBER not in body and announcement.title not in body, name
            assert 'data-outcome="selected"' not in body, name
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    "role", ["anonymous", "innovator", "judge", "other_judge", "verifier", "organiser_not_preparer", "preparer"]
)
def test_nothing_is_visible_before_approval_and_before_embargo(client, scene, role):
    round_, entries, a, b, users = scene
    user = users[role]
    later = timezone.now() + datetime.timedelta(days=2)
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields(embargo_until=later, title="Top Dua"))
    _assert_hidden(_get_all(client, user, announcement, entries["E1"]), announcement)  # draft
    pub.submit_for_approval(announcement=announcement, actor=a)
    _assert_hidden(_get_all(client, user, announcement, entries["E1"]), announcement)  # awaiting approval
    pub.approve_announcement(announcement=announcement, actor=b)
    _assert_hidden(_get_all(client, user, announcement, entries["E1"]), announcement)  # approved, embargoed
    Announcement.objects.filter(pk=announcement.pk).update(embargo_until=timezone.now() - datetime.timedelta(seconds=1))
    responses = _get_all(client, user, announcement, entries["E1"])
    for name in PUBLIC_URLS:
        assert responses[name].status_code == 200, name
    assert NUMBER in responses["judging:public_announcement"].content.decode()
    assert "Top Dua" in responses["list"].content.decode() and "Top Dua" in responses["home"].content.decode()
    assert responses["objection"].status_code == 302
    if role == "innovator":
        assert 'data-outcome="selected"' in responses["entry"].content.decode()
        assert 'data-outcome="selected"' in responses["dashboard"].content.decode()


def test_an_embargo_in_the_past_but_no_approval_shows_nothing(client, scene):
    round_, entries, a, b, users = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    assert announcement.embargo_until < timezone.now()
    _assert_hidden(_get_all(client, None, announcement, entries["E1"]), announcement)


def test_public_page_shows_lists_counts_chart_and_method_note(client, scene):
    round_, entries, a, b, users = scene
    draft = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.change_outcome(
        announcement=draft, entry=entries["E4"], to_outcome="reserve", reason="Afirmasi daerah 3T.", actor=a
    )
    pub.submit_for_approval(announcement=draft, actor=a)
    pub.approve_announcement(announcement=draft, actor=b)
    body = client.get(reverse("judging:public_announcement", args=[draft.pk])).content.decode()
    assert 'id="selected-list"' in body and 'data-entry="E1"' in body and 'data-entry="E2"' in body
    assert 'id="reserve-list"' in body and 'data-entry="E3"' in body and 'data-entry="E4"' in body
    assert "<svg" in body and 'id="counts-region"' in body and 'id="counts-category"' in body
    assert "Afirmasi daerah 3T." in body and "Bobot" in body
    assert "Nilai</th>" not in body  # totals not public by default


def test_totals_are_shown_only_when_chosen(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b, show_totals=True)
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "Nilai</th>" in body
    rows = list(csv.reader(io.StringIO(client.get(_url("csv", announcement)).content.decode())))
    assert rows[0][4:7] == ["list", "position", "entry_code"] and rows[1][6] == "E1" and rows[1][10] != ""


def test_pdf_starts_with_pdf_and_parses(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b)
    response = client.get(_url("judging:public_pdf", announcement))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert NUMBER in text and "Dr. Kepala Biro" in text and "PEMERINTAH PROVINSI" in text and "E1" in text


def test_csv_and_xlsx_hide_totals_and_list_only_selected_and_reserve(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b)
    rows = list(csv.reader(io.StringIO(client.get(_url("csv", announcement)).content.decode())))
    assert [r[6] for r in rows[1:]] == ["E1", "E2", "E3"]
    assert [r[4] for r in rows[1:]] == ["selected", "selected", "reserve"]
    assert all(r[10] == "" for r in rows[1:])
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(_url("xlsx", announcement)).content))
    assert [row[2] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["E1", "E2", "E3"]


def test_the_approve_button_is_shown_to_another_organiser_only(client, scene):
    round_, entries, a, b, users = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    url = reverse("judging:announcement_manage", args=[announcement.pk])
    client.force_login(a)
    page = client.get(url).content.decode()
    assert 'id="approve"' not in page and "Setujui dan terbitkan" not in page
    assert 'id="two-person-note"' in page and "penyelenggara lain" in page
    client.force_login(b)
    page = client.get(url).content.decode()
    assert 'id="approve"' in page and 'id="two-person-note"' not in page


def test_approval_by_the_preparer_is_refused_on_the_page(client, scene):
    round_, entries, a, b, users = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    client.force_login(a)
    response = client.post(reverse("judging:announcement_action", args=[announcement.pk, "approve"]), follow=True)
    assert "tidak dapat menyetujuinya sendiri" in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.state == "awaiting"


def test_objection_after_the_window_shows_the_closing_time(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b, objection_days=1)
    Announcement.objects.filter(pk=announcement.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=3),
        embargo_until=timezone.now() - datetime.timedelta(days=3),
    )
    closes = timezone.localtime(timezone.now() - datetime.timedelta(days=2))
    response = client.post(
        reverse("judging:public_objection", args=[announcement.pk]),
        {"entry": entries["E1"].pk, "reason": "Terlambat", "name": "W", "email": "w@example.org"},
        follow=True,
    )
    body = response.content.decode()
    assert "Masa sanggah sudah ditutup pada" in body and closes.strftime("%d-%m-%Y") in body
    assert not Objection.objects.exists()


def test_signed_in_objector_sees_the_answer(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b)
    person = users["innovator"]
    client.force_login(person)
    client.post(
        reverse("judging:public_objection", args=[announcement.pk]), {"entry": entries["E2"].pk, "reason": "Data ganda"}
    )
    objection = Objection.objects.get()
    assert objection.filed_by == person and objection.email == person.email
    client.force_login(b)
    client.post(reverse("judging:objection_answer", args=[objection.pk]), {"answer": "Sudah diperiksa ulang."})
    client.force_login(person)
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "Sudah diperiksa ulang." in body


@pytest.mark.parametrize("role", ["anonymous", "innovator", "judge", "verifier"])
def test_organiser_pages_are_refused_to_others(client, scene, role):
    round_, entries, a, b, users = scene
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    user = users[role]
    if user:
        client.force_login(user)
    for url in (
        reverse("judging:announcement_index"),
        reverse("judging:announcement_manage", args=[announcement.pk]),
        reverse("judging:announcement_prepare", args=[round_.competition.slug, round_.slug]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(reverse("judging:announcement_action", args=[announcement.pk, "submit"]))
    assert response.status_code in (302, 403)
    announcement.refresh_from_db()
    assert announcement.state == "draft"


def test_organiser_prepares_submits_and_another_approves_through_the_pages(client, scene):
    round_, entries, a, b, users = scene
    client.force_login(a)
    data = text_fields()
    data["date"] = "2023-02-20"
    data["embargo_until"] = "2023-02-20T09:00"
    data["list_order"] = "alphabetical"
    data["objection_days"] = 5
    response = client.post(reverse("judging:announcement_prepare", args=[round_.competition.slug, round_.slug]), data)
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and announcement.prepared_by == a
    client.post(reverse("judging:announcement_action", args=[announcement.pk, "submit"]))
    client.force_login(b)
    client.post(reverse("judging:announcement_action", args=[announcement.pk, "approve"]))
    announcement.refresh_from_db()
    assert announcement.state == "published" and announcement.approved_by == b
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "Diurutkan menurut abjad" in body


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_public_pages_query_count_does_not_grow_with_rows(client):
    round_small, _n, _e, _j = closed_round(top_n=1, reserve_n=0)
    a, b = organisers()
    small = published(round_small, a, b)
    from judging.models import RoundJudge
    from tests.judging.scoring.helpers import add_entry, add_sheet

    round_big, _n2, entries, judges = closed_round(top_n=20, reserve_n=5)
    round_big.state = "open"
    round_big.save()
    for i in range(30):
        entry = add_entry(round_big, f"X{i:02d}", minutes=100 + i)
        for judge in judges:
            add_sheet(round_big, entry, judge, {"a": 1 + i % 10, "b": 5})
    round_big.state = "closed"
    round_big.save()
    assert RoundJudge.objects.filter(round=round_big).count() == 2
    big = published(round_big, a, b, number="066/1/II/B")
    assert big.rows.count() == 34
    for name in ("judging:public_announcement", "judging:public_pdf"):
        assert _count(client, _url(name, small)) == _count(client, _url(name, big)), name
    assert _count(client, _url("csv", small)) == _count(client, _url("csv", big))


def test_announcement_list_query_count_is_constant(client):
    a, b = organisers()
    round_, _n, _e, _j = closed_round()
    published(round_, a, b)
    one = _count(client, reverse("judging:public_list"))
    home_one = _count(client, reverse("kipp:home"))
    for i in range(4):
        r, _n, _e, _j = closed_round()
        published(r, a, b, number=f"070/{i}/II/B")
    assert _count(client, reverse("judging:public_list")) == one
    assert _count(client, reverse("kipp:home")) == home_one


def test_a_correction_shows_its_note_and_the_first_version_stays_readable(client, scene):
    round_, entries, a, b, users = scene
    first = published(round_, a, b)
    correction = pub.prepare_correction(announcement=first, actor=b, correction_note="Salah ketik nama instansi.")
    pub.submit_for_approval(announcement=correction, actor=b)
    pub.approve_announcement(announcement=correction, actor=a)
    body = client.get(reverse("judging:public_announcement", args=[correction.pk])).content.decode()
    assert 'id="correction-note"' in body and "Salah ketik nama instansi." in body
    old = client.get(reverse("judging:public_announcement", args=[first.pk])).content.decode()
    assert 'id="superseded"' in old and NUMBER in old
    home = client.get(reverse("judging:public_list")).content.decode()
    assert reverse("judging:public_announcement", args=[correction.pk]) in home
    assert reverse("judging:public_announcement", args=[first.pk]) not in home


def test_the_organiser_replaces_a_withdrawn_entry_through_the_page(client, scene):
    round_, entries, a, b, users = scene
    first = published(round_, a, b)
    entries["E1"].status = "withdrawn"
    entries["E1"].save()
    client.force_login(a)
    body = client.get(reverse("judging:announcement_manage", args=[first.pk])).content.decode()
    assert 'data-withdrawn="E1"' in body
    client.post(reverse("judging:announcement_action", args=[first.pk, "replace"]), {"entry": entries["E1"].pk})
    correction = Announcement.objects.get(previous=first)
    assert dict(correction.rows.values_list("entry_code", "outcome"))["E3"] == "selected"
    assert correction.state == "draft"


def test_publish_due_sends_the_outcome_once_the_embargo_passed(scene, mailoutbox):
    from django.core.management import call_command

    round_, entries, a, b, users = scene
    announcement = published(round_, a, b, embargo_until=timezone.now() + datetime.timedelta(hours=1))
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert out.getvalue().startswith("0 ")
    Announcement.objects.filter(pk=announcement.pk).update(embargo_until=timezone.now())
    call_command("publish_due", stdout=out)
    assert [m for m in sent_mail() if users["innovator"].email in m.to]


def test_released_feedback_is_shown_to_the_entrant_only(client, scene):
    round_, entries, a, b, users = scene
    announcement = published(round_, a, b)
    from judging.models import ScoreSheet

    ScoreSheet.objects.filter(assignment__entry=entries["E1"]).update(overall_comment="Perlu data pembanding.")
    url = reverse("entries:detail", args=[entries["E1"].pk])
    client.force_login(users["innovator"])
    assert "Perlu data pembanding." not in client.get(url).content.decode()
    pub.release_feedback(announcement=announcement, actor=b)
    body = client.get(url).content.decode()
    assert "Perlu data pembanding." in body and "Umpan balik juri (anonim)" in body
    for judge in round_.round_judges.select_related("judge"):
        assert judge.judge.full_name not in body
    client.force_login(users["verifier"])
    assert "Perlu data pembanding." not in client.get(url).content.decode()


def test_organiser_list_pages_query_count_is_constant(client):
    from judging.scoring.schedule.services import generate_schedule

    a, b = organisers()
    round_, next_round, _e, _j = closed_round()
    published(round_, a, b)
    generate_schedule(round_=next_round, actor=a, days=[datetime.date(2023, 3, 6)], room="R")
    client.force_login(a)
    index = reverse("judging:announcement_index")
    schedule_url = reverse("judging:schedule", args=[next_round.competition.slug, next_round.slug])
    printable = reverse("judging:schedule_print", args=[next_round.competition.slug, next_round.slug])
    counts = [_count(client, index), _count(client, schedule_url), _count(client, printable)]
    for i in range(3):
        r, _n, _e, _j = closed_round()
        published(r, a, b, number=f"071/{i}/II/B")
    from judging.models import RoundEntry
    from tests.judging.scoring.helpers import add_entry

    for i in range(12):
        entry = add_entry(round_, f"S{i:02d}", minutes=200 + i)
        RoundEntry.objects.create(round=next_round, entry=entry, source="organiser", reason="uji")
    generate_schedule(round_=next_round, actor=a, days=[datetime.date(2023, 3, 6)], room="R")
    assert [_count(client, index), _count(client, schedule_url), _count(client, printable)] == counts


def _prepare_form(client, round_):
    url = reverse("judging:announcement_prepare", args=[round_.competition.slug, round_.slug])
    return client.get(url).context["form"].initial


def _organises(user, organisation):
    """`user` becomes an organiser of `organisation` too (an organiser opens only their organisations' rounds)."""
    from kipp.organisations.models import Membership

    Membership.objects.create(user=user, organisation=organisation, kind="organiser")


def _jeneponto_organisation(**letterhead):
    from kipp.organisations.services import create_organisation
    from tests.factories import region

    return create_organisation(
        actor=None,
        level="kabupaten",
        region=region("73.04"),
        name="Bagian Organisasi Setda Kabupaten Jeneponto",
        slug="bagian-organisasi-jeneponto",
        **letterhead,
    )


def test_a_new_announcement_takes_place_and_signatory_from_the_competitions_organisation(client, scene):
    round_, entries, a, b, users = scene
    round_.competition.organisation = _jeneponto_organisation(
        heading_lines="PEMERINTAH KABUPATEN JENEPONTO\nSEKRETARIAT DAERAH",
        city="Bontosunggu",
        signatory_name="Andi Rahmat Hidayat, S.STP., M.Si.",
        signatory_title="Kepala Bagian Organisasi",
    )
    round_.competition.save(update_fields=["organisation"])
    _organises(a, round_.competition.organisation)
    client.force_login(a)
    initial = _prepare_form(client, round_)
    assert (initial["place"], initial["signatory_name"], initial["signatory_title"]) == (
        "Bontosunggu",
        "Andi Rahmat Hidayat, S.STP., M.Si.",
        "Kepala Bagian Organisasi",
    )
    assert initial["letterhead"] == "PEMERINTAH KABUPATEN JENEPONTO\nSEKRETARIAT DAERAH"


def test_a_new_announcement_proposes_no_place_of_another_province(client, scene):
    round_, entries, a, b, users = scene
    round_.competition.organisation = _jeneponto_organisation()
    round_.competition.save(update_fields=["organisation"])
    _organises(a, round_.competition.organisation)
    client.force_login(a)
    page = client.get(reverse("judging:announcement_prepare", args=[round_.competition.slug, round_.slug]))
    assert page.context["form"]["place"].value() in (None, "")
    assert "Makassar" not in page.content.decode()
