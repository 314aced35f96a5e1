"""The one export writer: every CSV and XLSX the portal writes (downloads, commands, the API) goes through here.

Rows of Python values in, text, bytes or a response out:

    return csv_response("katalog-inovasi", [COLUMNS, *rows])            # a header row, then the rows
    return xlsx_response("hasil", [header, *rows], title="Hasil", column_formats={5: "0.0000"})

Spreadsheet formula injection (OWASP "CSV injection"): a text cell that a spreadsheet would read as a formula is
neutralised by putting a single quote in front of it (`'=HYPERLINK(...)` is shown as text and never evaluated).
The rule (`safe_cell`), the same in Python and in SQL (`safe_sql`, for exports that PostgreSQL writes with COPY):

- a text cell whose first character is a tab or a carriage return, or
- whose first character after leading ASCII whitespace (space, tab, line feed, vertical tab, form feed, carriage
  return) is `=`, `+`, `-` or `@`: spreadsheets trim leading blanks before they look for a formula, so
  `"  =1+1"` is neutralised as `"'  =1+1"` too.

Only text is touched: numbers (int, float, Decimal; a negative one too) stay numbers, in CSV as the digits and in
XLSX as numeric cells; dates and None as they are (None is an empty cell). In XLSX every text cell is written as a
string cell, never as a formula (openpyxl would otherwise turn any text starting with `=` into one), and characters
that XLSX cannot hold (control characters other than tab, line feed and carriage return) are dropped.
"""

import csv
import datetime
import decimal
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from kipp.files import safe_filename

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
LEADING_BLANKS = " \t\n\x0b\x0c\r"
# The same rule as safe_cell for PostgreSQL (an ARE; character escapes are understood inside brackets).
SAFE_SQL_PATTERN = r"^([\t\r]|[ \t\n\v\f\r]*[-=+@])"
BOM = "\ufeff"


def is_dangerous(text):
    """True when a spreadsheet could read this text as a formula (see the module's rule)."""
    if not text:
        return False
    return text[:1] in CONTROL_STARTS or text.lstrip(LEADING_BLANKS)[:1] in FORMULA_STARTS


def safe_cell(value):
    """A text value a spreadsheet would read as a formula, prefixed with a single quote; anything else as it is."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def safe_row(row):
    return [safe_cell(value) for value in row]


def safe_sql(expression):
    """The SQL of safe_cell for a text expression (PostgreSQL): COPY writes the same bytes as csv_lines."""
    return f"(CASE WHEN {expression} ~ '{SAFE_SQL_PATTERN}' THEN '''' || {expression} ELSE {expression} END)"


def fixed(value, places=4):
    """A number rounded to `places` decimals that stays a number (a Decimal: `85.1900` in CSV); None stays None."""
    if value is None:
        return None
    return decimal.Decimal(f"{value:.{places}f}")


class _Line:
    """A file-like object for csv.writer that hands back what was written."""

    def __init__(self, marker=""):
        self.buffer = io.StringIO()
        self.marker = marker

    def write(self, text):
        # csv.writer writes one row per call, ending in its line terminator: a marker added to the terminator
        # (see csv_lines) is taken off again here
        if self.marker and text.endswith(self.marker):
            text = text[: -len(self.marker)]
        self.buffer.write(text)

    def pop(self):
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def csv_lines(rows, *, bom=False, line_end="\r\n", batch=1):
    """Yield the CSV text of rows (the first row is usually the header), `batch` rows per chunk, neutralised."""
    # Python's csv module quotes a cell that holds a character of the line terminator; with "\n" line ends a bare
    # "\r" in a cell would go out unquoted and split the row for every reader. A "\r" is added to the terminator
    # (so such cells are quoted) and taken off each row again.
    marker = "" if "\r" in line_end else "\r"
    line = _Line(marker)
    writer = csv.writer(line, lineterminator=line_end + marker)
    if bom:
        yield BOM
    count = 0
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
        if count >= batch:
            yield line.pop()
            count = 0
    rest = line.pop()
    if rest:
        yield rest


def csv_text(rows, **options):
    return "".join(csv_lines(rows, batch=1000, **options))


def csv_bytes(rows, **options):
    return csv_text(rows, **options).encode("utf-8")


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "export")}"'
    return response


def csv_response(filename, rows, **options):
    """The CSV of rows as a download (built in memory: for lists of a known, bounded size)."""
    return _attachment(HttpResponse(csv_bytes(rows, **options), content_type=CSV_TYPE), filename)


def csv_streaming_response(filename, rows, *, batch=500, **options):
    """The CSV of rows streamed as it is written (rows may be a generator over a server-side cursor)."""
    chunks = (chunk.encode("utf-8") for chunk in csv_lines(rows, batch=batch, **options))
    return _attachment(StreamingHttpResponse(chunks, content_type=CSV_TYPE), filename)


def _xlsx_text(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _xlsx_cell(sheet, value, number_format=None):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_xlsx_text(safe_cell(value)))
        cell.data_type = "s"  # never a formula (text starting with "=") or an error ("#N/A"): a string cell
        return cell
    if isinstance(value, decimal.Decimal | float | int) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        if number_format:
            cell.number_format = number_format
        return cell
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones: the local time
    return WriteOnlyCell(sheet, value=value)


def xlsx_bytes(rows, *, title="Sheet", column_formats=None):
    """One worksheet (openpyxl write-only mode, one pass) of rows. column_formats: {column index: number format},
    applied to the numeric cells of that column below the first row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_xlsx_text(title)[:31] or "Sheet")
    formats = column_formats or {}
    for number, row in enumerate(rows):
        sheet.append([_xlsx_cell(sheet, value, formats.get(i) if number else None) for i, value in enumerate(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename, rows, **options):
    return _attachment(HttpResponse(xlsx_bytes(rows, **options), content_type=XLSX_TYPE), filename)


def csv_bytes_response(filename, data):
    """A CSV download of bytes written earlier by this module (a sealed canonical CSV): served exactly as stored."""
    return _attachment(HttpResponse(data, content_type=CSV_TYPE), filename)
