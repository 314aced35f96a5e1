"""The fingerprint of an announcement version (shared/DESIGN.md, "Published announcements: the fingerprint").

Each approved version has one canonical CSV: UTF-8, no byte-order mark, "\\n" line ends, a header row
(FINGERPRINT_COLUMNS), then one row per listed entry in list order (the selected list, then the reserve list, as
the public page shows them). Number, version, date and signatory are on every row, so they are bound by the hash
too. Its SHA-256 in lower-case hex is the version's fingerprint, printed on the public page and in the PDF; the
version's CSV download is exactly those bytes, so `sha256sum` of the download equals the printed fingerprint.

The text is written once, when the version is approved (`seal`), and kept in the database; a trigger refuses any
later change of it (judging migration 0014). Cells go through the one CSV writer (kipp.exports: formula-safe).
"""

import hashlib

from judging.scoring.enums import Outcome
from kipp.exports import csv_text

FINGERPRINT_COLUMNS = [
    "announcement_number",
    "version",
    "dated",
    "signatory",
    "list",
    "position",
    "entry_code",
    "title",
    "agency",
    "region",
    "total",
]
LIST_NAMES = {Outcome.SELECTED: "selected", Outcome.RESERVE: "reserve"}
FINGERPRINT_LENGTH = 64


def canonical_text(*, number, version, dated, signatory, show_totals, selected, reserve):
    """The canonical CSV of one version from plain values (the migration that seals existing versions calls this
    too). selected / reserve: rows in list order, each with entry_code, title, agency, region and total."""
    rows = [FINGERPRINT_COLUMNS]
    for outcome, listed in ((Outcome.SELECTED, selected), (Outcome.RESERVE, reserve)):
        for position, row in enumerate(listed, start=1):
            total = f"{row.total:.4f}" if show_totals and row.total is not None else ""
            rows.append(
                [
                    number,
                    str(version),
                    dated.isoformat(),
                    signatory,
                    LIST_NAMES[outcome],
                    str(position),
                    row.entry_code,
                    row.title,
                    row.agency,
                    row.region,
                    total,
                ]
            )
    return csv_text(rows, line_end="\n")


def fingerprint_of(data):
    """SHA-256 of bytes (or of text encoded as UTF-8), lower-case hex."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def canonical_csv(announcement):
    """The canonical CSV of `announcement` as its rows stand (the sealed text, once approved, is what counts)."""
    from judging.publication.queries import public_rows

    selected, reserve = public_rows(announcement)
    return canonical_text(
        number=announcement.number,
        version=announcement.version,
        dated=announcement.date,
        signatory=announcement.signatory_name,
        show_totals=announcement.show_totals,
        selected=selected,
        reserve=reserve,
    )


def seal(announcement):
    """Write the canonical CSV and its fingerprint onto the version (not saved: the caller saves both fields in
    the transaction that approves it). Returns the fields to save."""
    announcement.canonical_csv = canonical_csv(announcement)
    announcement.fingerprint = fingerprint_of(announcement.canonical_csv)
    return ["canonical_csv", "fingerprint"]


def canonical_bytes(announcement):
    """The bytes of the version's CSV download: the sealed text (computed for a version sealed by no approval)."""
    return (announcement.canonical_csv or canonical_csv(announcement)).encode("utf-8")
