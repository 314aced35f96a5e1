"""The export files of shared/DESIGN.md (command-line contract), shared by the commands and the dashboard.

export_scores: one row per entry x judge x criterion, streamed from a server-side cursor (memory stays bounded).
export_results: one row per entry in rank order, from judging.queries.round_ranking. 4 decimals.
"""

import csv
import io
import json

from judging.queries import SCORE_COLUMNS, format_weight, iter_score_rows, round_criteria, round_ranking

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


def results_bytes(round_, fmt="csv"):
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
        sheet.append(columns)
        for row in rows:
            cells = []
            for c in columns:
                value = _rounded(row[c]) if c in numeric else row[c]
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
