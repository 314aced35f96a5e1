"""The export files of shared/DESIGN.md (command-line contract), shared by the commands and the dashboard.

export_scores: one row per entry x judge x criterion; the command's CSV is written by PostgreSQL (COPY),
the dashboard download and JSON stream from a server-side cursor (iter_scores); memory stays bounded either way.
export_results: one row per entry in rank order, from judging.scoring.queries.round_ranking (a closed or published
round: from its ranking snapshot). 4 decimals. Every CSV and XLSX is written by kipp.exports (formula-safe).
"""

import codecs
import json
from decimal import Decimal
from itertools import chain
from types import SimpleNamespace

from django.db import connection
from django.utils.translation import gettext as _

from judging.scoring.enums import Outcome, RoundState
from judging.scoring.queries import (
    SCORE_COLUMNS,
    SCORES_SQL,
    format_weight,
    frozen_ranking,
    iter_score_rows,
    latest_snapshot,
    round_criteria,
    round_ranking,
)
from judging.scoring.quotas import category_names, rule_text
from kipp import exports

SCORE_FORMATS = ("csv", "json")
RESULT_FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _rounded(value):
    return None if value is None else round(value, 4)


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


def score_row_count(round_):
    """The number of rows of the scores file (one per assignment x criterion): the size of a round's exports."""
    return round_.assignments.count() * round_.criteria.count()


def _counted(rows, progress, every=500):
    """The rows, calling progress(n) after every `every` rows (a background job's progress), and at the end."""
    if progress is None:
        yield from rows
        return
    n = 0
    for n, row in enumerate(rows, 1):  # noqa: B007 - n is read after the loop
        yield row
        if n % every == 0:
            progress(n)
    progress(n)


def _score_csv_rows(round_, progress=None):
    yield SCORE_COLUMNS
    for row in _counted(iter_score_rows(round_), progress):
        item = _score_dict(row)
        item["weight"] = Decimal(item["weight"])  # a number: never neutralised, written as format_weight writes it
        item["recused"] = "true" if item["recused"] else "false"
        yield [item[c] for c in SCORE_COLUMNS]


def iter_scores(round_, fmt="csv", progress=None):
    """Yield text chunks of the scores file (progress(rows written so far): a background job's progress)."""
    if fmt == "csv":
        yield from exports.csv_lines(_score_csv_rows(round_, progress), batch=1000)
    elif fmt == "json":
        yield "["
        first = True
        for row in _counted(iter_score_rows(round_), progress):
            yield ("\n" if first else ",\n") + json.dumps(_score_dict(row), ensure_ascii=False)
            first = False
        yield "\n]\n"
    else:
        raise ValueError(f"unknown format {fmt}")


# The scores CSV written by PostgreSQL itself (COPY ... TO STDOUT), the same bytes as iter_scores(round_, "csv"):
# the text columns neutralised by the export writer's rule in SQL (kipp.exports.safe_sql), the weight as
# format_weight writes it (trim_scale drops trailing zeros), recused as true/false, a missing value as an empty
# field; the header from the column names. PostgreSQL ends records with \n where csv.writer writes \r\n:
# _CrlfWriter turns the record ends (newlines outside quotes) into \r\n and leaves newlines inside quoted fields.
COPY_SCORES_SQL = """COPY (
SELECT {code} AS entry_code, {title} AS entry_title, {email} AS judge, {key} AS criterion,
       trim_scale(weight)::text AS weight, scale_min AS min, scale_max AS max, value, state AS sheet_state,
       CASE WHEN recused THEN 'true' ELSE 'false' END AS recused
FROM ({scores}) AS x (code, title, email, key, weight, scale_min, scale_max, value, state, recused)
) TO STDOUT WITH (FORMAT csv, HEADER)"""


_COPY_TEXT = ("code", "title", "email", "key")  # the text columns that people write (state is one of SheetState)


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
    sql = COPY_SCORES_SQL.format(
        scores=SCORES_SQL.strip() % int(round_.pk), **{name: exports.safe_sql(name) for name in _COPY_TEXT}
    )
    writer = _CrlfWriter(handle)
    decoder = codecs.getincrementaldecoder("utf-8")()  # a chunk of COPY may end inside a character
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # psycopg 3's COPY
        for chunk in copy:
            writer.write(decoder.decode(bytes(chunk)))
        writer.write(decoder.decode(b"", final=True))


def result_columns(criteria, *, with_rule=False):
    """The contract's columns; with_rule (a round with selection rules): and `rule` at the end (the mark of an entry
    a rule moved in or out of the Top N, judging.scoring.quotas; empty when the rank alone decided)."""
    return (
        ["rank", "entry_code", "title", "agency", "region", "total", "judges", "spread"]
        + [c.key for c in criteria]
        + ["outcome"]
        + (["rule"] if with_rule else [])
    )


def has_rule_marks(rows):
    """Whether the rows were ranked under selection rules (apply_rules sets `rule` on every row): a round without
    rules keeps the contract's columns, byte for byte."""
    return any("rule" in row for row in rows)


def ranking_for_export(round_):
    """(criteria, rows of round_ranking) of round_. A closed or published round's figures come from its latest
    RankingSnapshot (stored when it closed or was published), never from the live sheets; an open round's (and a
    closed round without a snapshot, which only data written outside the services can make) are computed now."""
    if round_.state in (RoundState.CLOSED, RoundState.PUBLISHED):
        snapshot = latest_snapshot(round_)
        if snapshot is not None:
            criteria = [SimpleNamespace(key=c["key"], title=c["title"]) for c in snapshot.criteria]
            return criteria, frozen_ranking(round_, snapshot=snapshot)
    criteria = round_criteria(round_)
    return criteria, round_ranking(round_, criteria=criteria)


def result_rows(round_):
    """(columns, list of dicts with unrounded values, criteria) in rank order (ranking_for_export: a closed round's
    from its snapshot)."""
    criteria, rows = ranking_for_export(round_)
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
        item["rule"] = row.get("rule") or ""
        out.append(item)
    return result_columns(criteria, with_rule=has_rule_marks(rows)), out, criteria


def people_headers(criteria, *, with_rule=False):
    """The result columns in people's words (the organiser's XLSX download), in the active language."""
    return (
        [_("Peringkat"), _("Kode"), _("Judul"), _("Instansi"), _("Daerah"), _("Total"), _("Juri"), _("Sebaran")]
        + [c.title for c in criteria]
        + [_("Hasil")]
        + ([_("Aturan seleksi")] if with_rule else [])
    )


def results_bytes(round_, fmt="csv", *, for_people=False):
    """The results file. CSV, JSON and the command's XLSX keep the contract's keys; for_people=True (the dashboard's
    XLSX download) writes the header, criterion titles and outcomes in words of the active language."""
    columns, rows, criteria = result_rows(round_)
    numeric = {"total", "spread", *[c.key for c in criteria]}
    if fmt == "csv":
        lines = ([exports.fixed(row[c]) if c in numeric else row[c] for c in columns] for row in rows)
        return exports.csv_bytes(chain([columns], lines))
    if fmt == "json":
        data = [{c: _rounded(row[c]) if c in numeric else row[c] for c in columns} for row in rows]
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xlsx":
        categories = category_names(round_.competition_id) if for_people and "rule" in columns else {}

        def cell(row, c):
            value = _rounded(row[c]) if c in numeric else row[c]
            if for_people and c == "outcome":
                return str(Outcome(value).label)
            return rule_text(value, categories) if for_people and c == "rule" else value

        lines = ([cell(row, c) for c in columns] for row in rows)
        return exports.xlsx_bytes(
            chain([people_headers(criteria, with_rule="rule" in columns) if for_people else columns], lines),
            title=round_.slug[:31],
            column_formats={i: "0.0000" for i, c in enumerate(columns) if c in numeric},
        )
    raise ValueError(f"unknown format {fmt}")


def file_name(round_, kind, fmt):
    return f"{round_.competition.slug}-{round_.slug}-{kind}.{fmt}"
