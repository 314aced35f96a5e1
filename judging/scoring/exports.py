"""The export files of shared/DESIGN.md (command-line contract), shared by the commands and the dashboard.

export_scores: one row per entry x judge x criterion; the command's CSV is written by PostgreSQL (COPY),
the dashboard download and JSON stream from a server-side cursor (iter_scores); memory stays bounded either way.
export_results: one row per entry in rank order, from judging.scoring.queries.round_ranking. 4 decimals.
"""

import codecs
import csv
import io
import json

from django.db import connection
from django.utils.translation import gettext as _

from judging.scoring.enums import Outcome
from judging.scoring.queries import (
    SCORE_COLUMNS,
    SCORES_SQL,
    format_weight,
    iter_score_rows,
    round_criteria,
    round_ranking,
)

SCORE_FORMATS = ("csv", "json")
RESULT_FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _fixed(value):
    return "" if value is None else f"{value:.4f}"


def _rounded(value):
    return None if value is None else round(value, 4)


class _Line:
    """A file-like object for csv.writer that hands back what was written."""

    def __init__(self):
        self.buffer = io.StringIO()

    def write(self, text):
        self.buffer.write(text)

    def pop(self):
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def _score_dict(row):
    code, title, judge, key, weight, low, high, value, state, recused = row
    return {
        "entry_code": code,
        "entry_title": title,
        "judge": judge,
        "criterion": key,
        "weight": format_weight(weight),
        "min": low,
        "max": high,
        "value": value,
        "sheet_state": state,
        "recused": bool(recused),
    }


def iter_scores(round_, fmt="csv"):
    """Yield text chunks of the scores file."""
    if fmt == "csv":
        line = _Line()
        writer = csv.writer(line)
        writer.writerow(SCORE_COLUMNS)
        yield line.pop()
        batch = 0
        for row in iter_score_rows(round_):
            item = _score_dict(row)
            item["recused"] = "true" if item["recused"] else "false"
            item["value"] = "" if item["value"] is None else item["value"]
            writer.writerow([item[c] for c in SCORE_COLUMNS])
            batch += 1
            if batch == 1000:
                yield line.pop()
                batch = 0
        yield line.pop()
    elif fmt == "json":
        yield "["
        first = True
        for row in iter_score_rows(round_):
            yield ("\n" if first else ",\n") + json.dumps(_score_dict(row), ensure_ascii=False)
            first = False
        yield "\n]\n"
    else:
        raise ValueError(f"unknown format {fmt}")


# The scores CSV written by PostgreSQL itself (COPY ... TO STDOUT), the same bytes as iter_scores(round_, "csv"):
# the weight as format_weight writes it (trim_scale drops trailing zeros), recused as true/false, a missing value as
# an empty field; the header from the column names. PostgreSQL ends records with \n where csv.writer writes \r\n:
# _CrlfWriter turns the record ends (newlines outside quotes) into \r\n and leaves newlines inside quoted fields.
COPY_SCORES_SQL = """COPY (
SELECT code AS entry_code, title AS entry_title, email AS judge, key AS criterion, trim_scale(weight)::text AS weight,
       scale_min AS min, scale_max AS max, value, state AS sheet_state,
       CASE WHEN recused THEN 'true' ELSE 'false' END AS recused
FROM ({scores}) AS x (code, title, email, key, weight, scale_min, scale_max, value, state, recused)
) TO STDOUT WITH (FORMAT csv, HEADER)"""


class _CrlfWriter:
    def __init__(self, handle):
        self.handle = handle
        self.quoted = False  # inside a quoted field at the end of the last chunk
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data):
        if not isinstance(data, str):
            data = self.decoder.decode(bytes(data))
        if '"' not in data:
            self.handle.write(data if self.quoted else data.replace("\n", "\r\n"))
            return
        parts = data.split('"')
        for i, part in enumerate(parts):
            if i:
                self.quoted = not self.quoted
            if not self.quoted:
                parts[i] = part.replace("\n", "\r\n")
        self.handle.write('"'.join(parts))


def copy_scores_csv(round_, handle):
    """Write the scores CSV of round_ to the text file handle, streamed from PostgreSQL by COPY."""
    sql = COPY_SCORES_SQL.format(scores=SCORES_SQL.strip() % int(round_.pk))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _CrlfWriter(handle))


def result_columns(criteria):
    return (
        ["rank", "entry_code", "title", "agency", "region", "total", "judges", "spread"]
        + [c.key for c in criteria]
        + ["outcome"]
    )


def result_rows(round_):
    """(columns, list of dicts with unrounded values) in rank order."""
    criteria = round_criteria(round_)
    rows = round_ranking(round_, criteria=criteria)
    out = []
    for row in rows:
        item = {
            "rank": row["rank"],
            "entry_code": row["entry_code"],
            "title": row["title"],
            "agency": row["agency"],
            "region": row["region"],
            "total": row["total"],
            "judges": row["judges"],
            "spread": row["spread"],
        }
        for c in criteria:
            item[c.key] = row["criteria"].get(c.key)
        item["outcome"] = row["outcome"]
        out.append(item)
    return result_columns(criteria), out, criteria


def people_headers(criteria):
    """The result columns in people's words (the organiser's XLSX download), in the active language."""
    return (
        [_("Peringkat"), _("Kode"), _("Judul"), _("Instansi"), _("Daerah"), _("Total"), _("Juri"), _("Sebaran")]
        + [c.title for c in criteria]
        + [_("Hasil")]
    )


def results_bytes(round_, fmt="csv", *, for_people=False):
    """The results file. CSV, JSON and the command's XLSX keep the contract's keys; for_people=True (the dashboard's
    XLSX download) writes the header, criterion titles and outcomes in words of the active language."""
    columns, rows, criteria = result_rows(round_)
    numeric = {"total", "spread", *[c.key for c in criteria]}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_fixed(row[c]) if c in numeric else row[c] for c in columns])
        return buffer.getvalue().encode("utf-8")
    if fmt == "json":
        data = [{c: _rounded(row[c]) if c in numeric else row[c] for c in columns} for row in rows]
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=round_.slug[:31])
        sheet.append(people_headers(criteria) if for_people else columns)
        for row in rows:
            cells = []
            for c in columns:
                value = _rounded(row[c]) if c in numeric else row[c]
                if for_people and c == "outcome":
                    value = str(Outcome(value).label)
                cell = WriteOnlyCell(sheet, value=value)
                if c in numeric and value is not None:
                    cell.number_format = "0.0000"
                cells.append(cell)
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt}")


def file_name(round_, kind, fmt):
    return f"{round_.competition.slug}-{round_.slug}-{kind}.{fmt}"
