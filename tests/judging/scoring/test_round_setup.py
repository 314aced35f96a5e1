"""The organiser's round setup page: a rejected form comes back (400) as typed with its errors, nothing changed;
score bands (descriptors) edited inside a criterion's form, checked line by line, shown on the judge's sheet."""

import html

import pytest
from django.urls import reverse

from judging.models import Assignment, Criterion, Round, ScoreBand
from judging.scoring import services
from kipp.models import AuditEvent
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 5)]


@pytest.fixture
def world(client):
    round_ = make_round(CRITERIA, state="setup", top_n=2, reserve_n=1)
    criterion = round_.criteria.get(key="a")
    ScoreBand.objects.bulk_create(
        [
            ScoreBand(criterion=criterion, min_value=6, max_value=10, text="Lama baik"),
            ScoreBand(criterion=criterion, min_value=1, max_value=5, text="Lama kurang"),
        ]
    )
    client.force_login(OrganiserFactory())
    return {"round": round_, "criterion": criterion}


def action(round_, name):
    return reverse("judging:round_action", args=[round_.competition.slug, round_.slug, name])


def page_text(response):
    return html.unescape(response.content.decode())


def bands_of(criterion):
    return list(criterion.bands.order_by("min_value").values_list("min_value", "max_value", "text"))


def edit_post(criterion, **changes):
    data = {
        "criterion": criterion.pk,
        "key": criterion.key,
        "title": criterion.title,
        "guidance": criterion.guidance,
        "order": criterion.order,
        "weight": str(criterion.weight),
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
        "required": "on",
        "bands": "6-10: Lama baik\n1-5: Lama kurang",
    }
    data.update(changes)
    return data


def test_setup_page_prefills_the_bands_and_an_unlocalised_weight(client, world):
    round_, criterion = world["round"], world["criterion"]
    Criterion.objects.filter(pk=criterion.pk).update(weight="3.5")
    response = client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug]))
    text = page_text(response)
    assert response.status_code == 200
    assert f'for="b{criterion.pk}"' in text and "6-10: Lama baik\n1-5: Lama kurang</textarea>" in text
    assert f'id="w{criterion.pk}" name="weight" value="3.5"' in text
    assert "<details open" not in text


def test_rejected_settings_form_keeps_what_was_typed(client, world):
    round_ = world["round"]
    response = client.post(
        action(round_, "settings"),
        {
            "name": "Nama Baru Diketik",
            "top_n": "dua",
            "reserve_n": 1,
            "judges_per_entry": 3,
            "aggregation": "mean",
            "weight": "70",
            "tie_break_1": "spread",
            "tie_break_2": "spread",
        },
    )
    text = page_text(response)
    assert response.status_code == 400
    assert 'value="Nama Baru Diketik"' in text and 'value="dua"' in text
    assert "Masukkan keseluruhan angka bilangan." in text  # Django's own message, in Indonesian
    assert "Setiap penentu seri hanya boleh dipilih sekali." in text
    assert 'href="#settings-h"' in text
    # The page header still shows the stored round; the other forms are unbound (no errors on them).
    assert "Penilaian Proposal" in text and text.count("is-invalid") == 1
    stored = Round.objects.get(pk=round_.pk)
    assert stored.name == "Penilaian Proposal" and stored.top_n == 2 and stored.tie_break == round_.tie_break
    assert not AuditEvent.objects.filter(action="judging.round_settings_changed").exists()


def test_valid_settings_form_redirects_with_a_message(client, world):
    round_ = world["round"]
    data = {"name": "Babak Satu", "top_n": 3, "reserve_n": 1, "judges_per_entry": 2}
    data |= {"aggregation": "median", "weight": "70", "tie_break_1": "spread"}
    response = client.post(action(round_, "settings"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])
    round_.refresh_from_db()
    assert (round_.name, round_.top_n, round_.aggregation, round_.tie_break) == ("Babak Satu", 3, "median", ["spread"])


def test_rejected_criterion_edit_comes_back_open_with_the_typed_values(client, world):
    round_, criterion = world["round"], world["criterion"]
    typed = "9-10: Sangat baik sekali\n1-8: Belum"
    response = client.post(
        action(round_, "criterion"), edit_post(criterion, title="Judul Baru Diketik", weight="berat", bands=typed)
    )
    text = page_text(response)
    assert response.status_code == 400
    start = text.index(f'data-criterion="{criterion.key}"')
    row = text[start : text.index("</tr>", start)]
    assert "<details open>" in row
    assert 'value="Judul Baru Diketik"' in row and 'value="berat"' in row and f"{typed}</textarea>" in row
    assert "Masukkan sebuah bilangan." in row and f'aria-describedby="w{criterion.pk}-e"' in row
    assert text.count("<details open>") == 1  # the other criterion's form and the other forms stay closed
    criterion.refresh_from_db()
    assert criterion.title == "A" and criterion.weight == 3
    assert bands_of(criterion) == [(1, 5, "Lama kurang"), (6, 10, "Lama baik")]


def test_rejected_new_criterion_keeps_what_was_typed(client, world):
    round_ = world["round"]
    response = client.post(
        action(round_, "criterion"),
        {
            "new-key": "a",
            "new-title": "Kriteria Baru Diketik",
            "new-weight": "2",
            "new-scale_min": 1,
            "new-scale_max": 10,
            "new-order": 5,
            "new-bands": "1-10: Satu rentang",
        },
    )
    text = page_text(response)
    assert response.status_code == 400
    assert "Kunci kriteria ini sudah dipakai di babak ini." in text
    assert 'value="Kriteria Baru Diketik"' in text and "1-10: Satu rentang</textarea>" in text
    assert round_.criteria.count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9-10: Baik\n7-9: Cukup", "Baris 2: rentang 7–9 bertumpuk dengan baris 1 (9–10)."),
        ("0-3: Nol\n4-10: Lain", "Baris 1: rentang 0–3 berada di luar skala 1–10."),
        ("9–11: En dash", "Baris 1: rentang 9–11 berada di luar skala 1–10."),
        ("1-5: Ok\n\n8-6: Terbalik", "Baris 3: nilai awal 8 lebih besar dari nilai akhir 6."),
        ("1-5: Ok\nSangat baik", "Baris 2: tulis “min-maks: deskripsi” atau “nilai: deskripsi”"),
        ("5:   ", "Baris 1: deskripsi untuk 5 kosong."),
    ],
)
def test_bad_bands_are_refused_with_the_line_named(client, world, typed, message):
    round_, criterion = world["round"], world["criterion"]
    response = client.post(action(round_, "criterion"), edit_post(criterion, bands=typed))
    text = page_text(response)
    assert response.status_code == 400
    assert message in text and f"{typed}</textarea>" in text
    assert bands_of(criterion) == [(1, 5, "Lama kurang"), (6, 10, "Lama baik")]


def test_bands_are_checked_against_the_posted_scale(client, world):
    round_, criterion = world["round"], world["criterion"]
    response = client.post(action(round_, "criterion"), edit_post(criterion, scale_max=5, bands="1-5: a\n6-10: b"))
    assert response.status_code == 400
    assert "Baris 2: rentang 6–10 berada di luar skala 1–5." in page_text(response)
    criterion.refresh_from_db()
    assert criterion.scale_max == 10


def test_valid_bands_replace_the_old_ones_and_show_on_the_judges_sheet(client, world):
    round_, criterion = world["round"], world["criterion"]
    typed = "9 – 10: Sangat baik: inovatif\n5-8: Cukup\n4: Kurang\n\n1-3: Sangat kurang"
    response = client.post(action(round_, "criterion"), edit_post(criterion, bands=typed))
    assert response.status_code == 302
    assert bands_of(criterion) == [
        (1, 3, "Sangat kurang"),
        (4, 4, "Kurang"),
        (5, 8, "Cukup"),
        (9, 10, "Sangat baik: inovatif"),
    ]
    event = AuditEvent.objects.get(action="judging.criterion_changed")
    assert event.details["bands"]["before"] == ["6-10: Lama baik", "1-5: Lama kurang"]
    assert event.details["bands"]["after"][0] == "9-10: Sangat baik: inovatif"
    # The setup page shows them again in the textarea (a single value as `4: ...`).
    page = page_text(client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])))
    assert "9-10: Sangat baik: inovatif\n5-8: Cukup\n4: Kurang\n1-3: Sangat kurang</textarea>" in page
    # The judge's score form shows the new descriptors.
    Round.objects.filter(pk=round_.pk).update(state="open")
    judge = add_judge(round_, full_name="Juri Satu")
    assignment = services.assign(round_=round_, entry=add_entry(round_, "E1"), judge=judge)
    client.force_login(judge)
    sheet = page_text(client.get(reverse("judging:sheet", args=[assignment.pk])))
    assert "Sangat baik: inovatif" in sheet and "Lama baik" not in sheet
    assert "<strong>4–4</strong> Kurang" in sheet


def test_cleared_bands_remove_them_and_an_edit_without_the_field_keeps_them(client, world):
    round_, criterion = world["round"], world["criterion"]
    data = edit_post(criterion, title="Tanpa field deskriptor")
    del data["bands"]
    assert client.post(action(round_, "criterion"), data).status_code == 302
    assert len(bands_of(criterion)) == 2
    assert client.post(action(round_, "criterion"), edit_post(criterion, bands="  \n")).status_code == 302
    assert bands_of(criterion) == []


def test_new_criterion_gets_default_bands_or_the_typed_ones(client, world):
    round_ = world["round"]
    base = {"new-title": "Baru", "new-weight": "1", "new-scale_min": 1, "new-scale_max": 10, "new-order": 3}
    assert client.post(action(round_, "criterion"), base | {"new-key": "c", "new-bands": ""}).status_code == 302
    assert len(bands_of(round_.criteria.get(key="c"))) == 5
    typed = {"new-key": "d", "new-bands": "1-10: Semua"}
    assert client.post(action(round_, "criterion"), base | typed).status_code == 302
    assert bands_of(round_.criteria.get(key="d")) == [(1, 10, "Semua")]


def test_locked_rubric_refuses_band_edits(client, world):
    round_, criterion = world["round"], world["criterion"]
    Round.objects.filter(pk=round_.pk).update(state="open")
    add_sheet(round_, add_entry(round_, "E1"), add_judge(round_, full_name="Juri Satu"), {"a": 5, "b": 3})
    response = client.post(action(round_, "criterion"), edit_post(criterion, bands="1-10: Semua"), follow=True)
    text = page_text(response)
    assert response.redirect_chain[-1][1] == 302
    assert "Rubrik terkunci" in text and 'name="bands"' not in text
    assert bands_of(criterion) == [(1, 5, "Lama kurang"), (6, 10, "Lama baik")]
    # Also with input the form would reject: the lock is what the organiser is told.
    response = client.post(action(round_, "criterion"), edit_post(criterion, bands="10-1: Terbalik"), follow=True)
    assert response.redirect_chain[-1][1] == 302 and "Rubrik terkunci" in page_text(response)
    round_.refresh_from_db()
    with pytest.raises(services.JudgingError, match="terkunci"):
        services.save_criterion(round_=round_, actor=OrganiserFactory(), criterion=criterion, bands=[(1, 10, "Semua")])


def test_service_guards_the_bands(world):
    round_, criterion = world["round"], world["criterion"]
    organiser = OrganiserFactory()
    for bands in ([(0, 3, "x")], [(1, 5, "x"), (5, 6, "y")], [(2, 3, " ")]):
        with pytest.raises(services.JudgingError):
            services.save_criterion(round_=round_, actor=organiser, criterion=criterion, bands=bands)
    assert bands_of(criterion) == [(1, 5, "Lama kurang"), (6, 10, "Lama baik")]


def test_rejected_entry_form_keeps_the_typed_code_and_reason(client, world):
    round_ = world["round"]
    response = client.post(action(round_, "entry"), {"code": "TIDAK-ADA", "reason": "Alasan yang diketik"})
    text = page_text(response)
    assert response.status_code == 400
    assert "Tidak ada proposal dengan kode itu di kompetisi ini." in text
    assert 'value="TIDAK-ADA"' in text and "Alasan yang diketik</textarea>" in text
    assert round_.round_entries.count() == 0


def test_rejected_conflict_form_comes_back_open(client, world):
    round_ = world["round"]
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Satu")
    data = {"judge": judge.pk, "entry": entry.pk, "reason": "Saudara kandung"}
    assert client.post(action(round_, "conflict"), data).status_code == 302
    response = client.post(action(round_, "conflict"), data | {"reason": "Diketik lagi"})
    text = page_text(response)
    assert response.status_code == 400
    assert "Konflik kepentingan ini sudah tercatat." in text and "Diketik lagi</textarea>" in text
    assert '<details class="mb-2" open>' in text


def test_dashboard_replacement_error_goes_back_to_the_dashboard(client, world):
    round_ = world["round"]
    Round.objects.filter(pk=round_.pk).update(state="open")
    entry = add_entry(round_, "E1")
    judge = add_judge(round_, full_name="Juri Satu")
    services.record_conflict(
        competition=round_.competition, judge=judge, entry=entry, reason="Kerabat", actor=OrganiserFactory()
    )
    data = {"entry": entry.pk, "judge": judge.pk, "next": "dashboard"}
    response = client.post(action(round_, "replace"), data, follow=True)
    dashboard = reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])
    assert response.redirect_chain == [(dashboard, 302)]
    assert "konflik kepentingan" in page_text(response)
    assert not Assignment.objects.filter(round=round_).exists()
    response = client.post(action(round_, "replace"), {"entry": "", "next": "dashboard"})
    assert response.status_code == 302 and response["Location"] == dashboard
