"""Ties at the cut (issue 11 item 5): which tie-break step separated two entries with equal totals, shown on the
dashboard, the certainty page and the snapshot; the round's tie-break in words; criterion titles as headers."""

import html

import pytest
from django.urls import reverse

from judging.scoring import services
from judging.scoring.queries import cut_tie, round_ranking
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round

pytestmark = pytest.mark.django_db


def tied_round(top_n=1, tie_break=None):
    """Two entries, total 50 each: X1 higher on the heaviest criterion "latar_belakang" (60 vs 40)."""
    round_ = make_round(
        [("latar_belakang", 2, 0, 10), ("sumber_daya", 1, 0, 10)], top_n=top_n, reserve_n=0, tie_break=tie_break
    )
    judge = JudgeFactory()
    for code, a, b in (("X1", 6, 3), ("X2", 4, 7), ("X3", 1, 1)):
        add_sheet(round_, add_entry(round_, code), judge, {"latar_belakang": a, "sumber_daya": b})
    return round_


def test_each_tie_names_the_step_that_decided_it():
    round_ = make_round([("a", 2, 0, 10), ("b", 1, 0, 10)], top_n=10)
    j1, j2 = JudgeFactory(), JudgeFactory()
    add_sheet(round_, add_entry(round_, "X1", minutes=50), j1, {"a": 6, "b": 3})  # 50, n_a 60
    narrow = add_entry(round_, "X3", minutes=40)  # 50, n_a 50, spread 0
    add_sheet(round_, narrow, j1, {"a": 5, "b": 5})
    add_sheet(round_, narrow, j2, {"a": 5, "b": 5})
    wide = add_entry(round_, "X4", minutes=2)  # 50, n_a 50, spread 10
    add_sheet(round_, wide, j1, {"a": 6, "b": 6})
    add_sheet(round_, wide, j2, {"a": 4, "b": 4})
    early, late = add_entry(round_, "X6", minutes=3), add_entry(round_, "X5", minutes=30)
    for entry in (early, late):
        add_sheet(round_, entry, j2, {"a": 5, "b": 5})
    add_sheet(round_, add_entry(round_, "X7"), j1, {"a": 1, "b": 1})  # 10: no tie with X4
    rows = round_ranking(round_)
    assert [r["entry_code"] for r in rows] == ["X1", "X6", "X5", "X3", "X4", "X7"]
    ties = {r["entry_code"]: r["tie"] for r in rows}
    assert ties["X1"] is None and ties["X7"] is None
    assert ties["X6"]["step"] == "criteria" and ties["X6"]["criterion"] == "a"
    assert ties["X6"]["above"] == pytest.approx(60) and ties["X6"]["below"] == pytest.approx(50)
    assert ties["X5"]["step"] == "submitted_at"
    assert ties["X3"]["step"] == "submitted_at"  # X5 (30 min) before X3 (40 min): same means, same spread 0
    assert ties["X4"]["step"] == "spread" and ties["X4"]["below"] == pytest.approx(10)


def test_totals_equal_only_when_rounded_are_a_tie_decided_by_the_unrounded_total():
    round_ = make_round([("a", 1, 0, 1000)], top_n=1, reserve_n=0)
    judge = JudgeFactory()
    add_sheet(round_, add_entry(round_, "X1"), judge, {"a": 500})  # 50.0
    add_sheet(round_, add_entry(round_, "X2"), judge, {"a": 499})  # 49.9 -> 49.90, not a tie at 2 decimals
    rows = round_ranking(round_)
    assert rows[1]["tie"] is None
    round_ = make_round([("a", 1, 0, 30000)], top_n=1, reserve_n=0, slug="r2")
    add_sheet(round_, add_entry(round_, "Y1"), judge, {"a": 15000})  # 50.0
    add_sheet(round_, add_entry(round_, "Y2"), judge, {"a": 14999})  # 49.9967: both 50.00 on the page
    tie = cut_tie(round_ranking(round_), 1)
    assert tie["step"] == "total" and tie["above_row"]["entry_code"] == "Y1"


def test_dashboard_shows_the_tie_at_the_cut_and_criterion_titles(client):
    round_ = tied_round()
    client.force_login(OrganiserFactory())
    page = html.unescape(
        client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])).content.decode()
    )
    assert "Seri di garis batas: peringkat 1 dan 2" in page
    assert (
        "X1 masuk Top 1 karena penentu seri: rata-rata lebih tinggi pada kriteria “Latar_Belakang” (60,00 lawan 40,00)."
        in page
    )
    assert "Seri dengan peringkat 1; di bawahnya karena penentu seri" in page  # the mark in the table (X2)
    assert ">Latar_Belakang</span></th>" in page and ">latar_belakang<" not in page


def test_certainty_page_and_snapshot_show_the_tie_at_the_cut(client):
    round_ = tied_round()
    client.force_login(OrganiserFactory())
    args = [round_.competition.slug, round_.slug]
    page = html.unescape(client.get(reverse("judging:round_certainty", args=args)).content.decode())
    assert "X1 masuk Top 1 karena penentu seri: rata-rata lebih tinggi pada kriteria “Latar_Belakang”" in page
    snapshot = services.store_snapshot(round_=round_, reason="close")
    page = html.unescape(client.get(reverse("judging:snapshot", args=[*args, snapshot.pk])).content.decode())
    assert "X1 masuk Top 1 karena penentu seri" in page
    assert "saat babak ditutup" in page and "· close" not in page


def test_round_settings_show_the_tie_break_in_words(client):
    round_ = tied_round(tie_break=["criteria", "spread", "submitted_at"])
    client.force_login(OrganiserFactory())
    page = html.unescape(
        client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug])).content.decode()
    )
    assert (
        "Penentu seri: total lebih tinggi → rata-rata nilai kriteria, dari bobot terbesar → sebaran nilai juri lebih"
        " kecil → waktu pengajuan lebih awal → kode proposal (urutan abjad)." in page
    )
    assert "submitted_at" not in page


def test_organisers_xlsx_download_speaks_words_and_csv_keeps_the_keys(client):
    import io

    from openpyxl import load_workbook

    round_ = tied_round()
    client.force_login(OrganiserFactory())
    args = [round_.competition.slug, round_.slug, "hasil"]
    response = client.get(reverse("judging:round_download", args=[*args, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "Peringkat", "Kode", "Judul", "Instansi", "Daerah", "Total", "Juri", "Sebaran",
        "Latar_Belakang", "Sumber_Daya", "Hasil",
    ]  # fmt: skip
    assert [r[-1] for r in rows[1:]] == ["Terpilih", "Tidak terpilih", "Tidak terpilih"]
    csv_text = client.get(reverse("judging:round_download", args=[*args, "csv"])).content.decode()
    assert csv_text.splitlines()[0].split(",")[-3:] == ["latar_belakang", "sumber_daya", "outcome"]
    assert csv_text.splitlines()[1].endswith(",selected")


def test_announcement_review_and_public_method_note_say_the_tie_at_the_cut(client):
    from judging.publication import services as pub
    from tests.judging.publication.helpers import organisers, text_fields

    round_ = tied_round()
    round_.state = "closed"
    round_.save(update_fields=["state"])
    a, b = organisers()
    announcement = pub.prepare_announcement(
        round_=round_, actor=a, acknowledge_few_judges=True, **text_fields(title="Top 1")
    )
    client.force_login(a)
    page = html.unescape(client.get(reverse("judging:announcement_manage", args=[announcement.pk])).content.decode())
    assert "X1 masuk Top 1 karena penentu seri: rata-rata lebih tinggi pada kriteria “Latar_Belakang” (60,00" in page
    pub.submit_for_approval(announcement=announcement, actor=a)
    pub.approve_announcement(announcement=announcement, actor=b)
    client.logout()
    page = html.unescape(client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode())
    note = page[page.index('id="method-cut-tie"') :]
    note = " ".join(note[: note.index("</p>")].split())
    assert "Seri di garis batas: peringkat 1 dan 2</strong> (X1, X2)" in note
    assert "X1 masuk Top 1 karena penentu seri: rata-rata lebih tinggi pada kriteria “Latar_Belakang”." in note
    assert "60" not in note  # totals are not public: the compared means are left out
