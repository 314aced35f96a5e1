"""Spreadsheet formulas in exports (issue 17, finding 2): an entry titled =HYPERLINK(...), agencies, a category, a
judge's address, a criterion title and an announcement title starting with + - @ tab or CR, fed through every
export a person can download or a command writes. No cell of any CSV opens a formula, no XLSX cell is a formula,
the text is still there (behind a quote), and numbers are still numbers. JSON needs no neutralising: it is
checked to carry the text unchanged."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from judging.models import Criterion
from judging.records.services import build_records
from judging.scoring.services import store_snapshot
from tests.factories import CategoryFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.kipp.test_exports import FORMULA, opens_formula

pytestmark = pytest.mark.django_db

TEXTS = {
    "E1": (FORMULA, "\rDinas Formula"),
    "E2": ("+62 411 123 Layanan Aduan", "=1+1 Dinas"),
    "E3": ("@SUM(1+1)*cmd|' /C calc'!A0", "@Dinas Kesehatan"),
    "E4": ("-2+3+cmd|' /C calc'!A0", "-Dinas Sosial"),
}
CATEGORY = "\t=kategori"
JUDGE = "=juri@example.org"
CRITERION = "+Kebaruan"
ANNOUNCEMENT = "@Pengumuman Top 2"


@pytest.fixture
def scene():
    round_, _next, entries, judges = closed_round(top_n=2, reserve_n=1)
    category = CategoryFactory(competition=round_.competition, name=CATEGORY)
    for code, (title, agency) in TEXTS.items():
        entry = entries[code]
        entry.title, entry.short_name, entry.category = title, "\t" + code, category
        entry.save()
        entry.agency.name = agency
        entry.agency.save()
    judges[0].email = JUDGE
    judges[0].save()
    Criterion.objects.filter(round=round_, key="a").update(title=CRITERION)
    store_snapshot(round_=round_)  # closed_round() closes without one; close_round() stores it
    first, second = organisers()
    announcement = published(round_, first, second, show_totals=True, title=ANNOUNCEMENT)
    records = build_records(announcement=announcement)
    assert len(records) == 2
    return round_, announcement, first


def _csv_cells(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _check_csv(name, content, must_hold=("'" + FORMULA,)):
    rows = _csv_cells(content)
    dangerous = [cell for row in rows for cell in row if opens_formula(cell)]
    assert not dangerous, f"{name}: {dangerous}"
    cells = {cell for row in rows for cell in row}
    assert set(must_hold) <= cells, f"{name}: {set(must_hold) - cells}"  # the text is still there, quoted
    return rows


def _check_xlsx(name, content, must_hold=("'" + FORMULA,)):
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows())
    formulas = [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    assert not formulas, f"{name}: formula cells {formulas}"
    texts = [cell.value for row in rows for cell in row if isinstance(cell.value, str)]
    assert not [t for t in texts if opens_formula(t)], name
    must_hold = {text.replace("\r", "\n") for text in must_hold}  # XML reads a carriage return as a line feed
    assert must_hold <= set(texts), f"{name}: {must_hold - set(texts)}"
    return rows


def _body(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_the_organisers_entry_list_csv_and_xlsx(client, scene):
    _round, _announcement, organiser = scene
    client.force_login(organiser)
    url = reverse("entries:organiser_list")
    must = ["'" + FORMULA, "'\rDinas Formula", "'-Dinas Sosial", "'\t=kategori", "'\tE1"]
    content = _body(client.get(url, {"export": "csv"}))
    assert content.startswith("\ufeff".encode())  # the byte format it had: a BOM, CRLF
    assert b"\r\n" in content
    _check_csv("daftar.csv", content, must)
    _check_xlsx("daftar.xlsx", _body(client.get(url, {"export": "xlsx"})), must)


def test_the_organisers_results_and_scores_downloads(client, scene):
    round_, _announcement, organiser = scene
    client.force_login(organiser)

    def download(kind, fmt):
        args = [round_.competition.slug, round_.slug, kind, fmt]
        return _body(client.get(reverse("judging:round_download", args=args)))

    must = ["'" + FORMULA, "'+62 411 123 Layanan Aduan", "'=1+1 Dinas", "'@Dinas Kesehatan"]
    rows = _check_csv("hasil.csv", download("hasil", "csv"), must)
    assert [float(t) for t in _column(rows, "total")] == sorted(
        (float(t) for t in _column(rows, "total")), reverse=True
    )
    rows = _check_xlsx("hasil.xlsx", download("hasil", "xlsx"), [*must, "'" + CRITERION])
    totals = [row[5] for row in rows[1:]]
    assert all(cell.data_type == "n" and isinstance(cell.value, float) for cell in totals)
    rows = _check_csv("nilai.csv", download("nilai", "csv"), ["'" + FORMULA, "'" + JUDGE, "'-2+3+cmd|' /C calc'!A0"])
    assert {row[4] for row in rows[1:]} == {"3", "1"}  # weights, numbers as written
    assert all(value.isdigit() for value in _column(rows, "value"))
    scores = json.loads(download("nilai", "json"))
    assert FORMULA in {row["entry_title"] for row in scores}  # JSON carries the text as it is


def test_the_commands(tmp_path, scene):
    round_, _announcement, _organiser = scene
    args = [round_.competition.slug, round_.slug]

    def run(command, fmt):
        path = tmp_path / f"{command}.{fmt}"
        call_command(command, *args, format=fmt, output=str(path))
        return path.read_bytes()

    scores = run("export_scores", "csv")  # written by PostgreSQL (COPY)
    _check_csv("export_scores csv", scores, ["'" + FORMULA, "'" + JUDGE, "'@SUM(1+1)*cmd|' /C calc'!A0"])
    from judging.scoring.exports import iter_scores

    assert scores == "".join(iter_scores(round_, "csv")).encode()
    rows = _check_csv("export_results csv", run("export_results", "csv"), ["'" + FORMULA, "'-Dinas Sosial"])
    assert all(float(t) > 0 for t in _column(rows, "total"))
    rows = _check_xlsx("export_results xlsx", run("export_results", "xlsx"), ["'" + FORMULA, "'-Dinas Sosial"])
    assert all(row[5].data_type == "n" for row in rows[1:])
    results = json.loads(run("export_results", "json"))
    assert [r["title"] for r in results][:1] == [FORMULA] and isinstance(results[0]["total"], float)


def test_the_public_announcement_downloads(client, scene):
    _round, announcement, _organiser = scene
    must = ["'" + FORMULA, "'+62 411 123 Layanan Aduan", "'\t=kategori"]
    url = reverse("judging:public_download", args=[announcement.pk, "csv"])
    rows = _check_csv("pengumuman.csv", _body(client.get(url)), must[:2])  # the canonical CSV has no category
    assert all(float(t) > 0 for t in _column(rows, "total"))
    url = reverse("judging:public_download", args=[announcement.pk, "xlsx"])
    rows = _check_xlsx("pengumuman.xlsx", _body(client.get(url)), must)
    header = [cell.value for cell in rows[0]]
    totals = [row[header.index("total")] for row in rows[1:]]
    assert all(cell.data_type == "n" for cell in totals)


def test_the_records_and_api_csvs(client, scene):
    _round, announcement, _organiser = scene
    must = ["'" + FORMULA, "'+62 411 123 Layanan Aduan", "'\rDinas Formula", "'=1+1 Dinas"]
    _check_csv("katalog.csv", _body(client.get(reverse("records:catalogue"), {"format": "csv"})), must)
    _check_csv("statistik.csv", _body(client.get(reverse("records:statistics"), {"format": "csv"})), [])
    _check_csv("api records", _body(client.get(reverse("api:records"), {"format": "csv"})), must)
    rows = _check_csv(
        "api results",
        _body(client.get(reverse("api:announcement_results", args=[announcement.pk]), {"format": "csv"})),
        must,
    )
    assert all(float(t) > 0 for t in _column(rows, "total"))
    _check_csv(
        "api announcements", _body(client.get(reverse("api:announcements"), {"format": "csv"})), ["'" + ANNOUNCEMENT]
    )
