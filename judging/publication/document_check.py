"""The public "check a document" page's rule: does an uploaded CSV or PDF match a published announcement version?

- A CSV matches a version when its SHA-256 equals the version's fingerprint (byte for byte: judging.publication
  .fingerprint). Otherwise, when it names a published version (its first row's announcement_number and version),
  the answer says how it differs: only in its format (a byte-order mark or Windows line ends, as a spreadsheet
  program may add when it saves: the list itself is the same), or at which row the list differs.
- A PDF is read in a child process under CPU and memory limits (pdf_text.py), one at a time for the whole portal
  (a second one meanwhile is asked to try again). A PDF is never "a match": it can print a genuine fingerprint beside
  added entries, another order or hidden text. When it prints a visible version's fingerprint, the answer names that
  version (to compare with its page, or check its CSV), and says it differs when the version's signatory or one of
  its entries (code and title) is not in its text.
Only versions the public may see are ever named: an embargoed version matches nothing.
"""

import csv
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from judging.models import Announcement
from judging.publication.fingerprint import FINGERPRINT_COLUMNS, fingerprint_of
from judging.publication.queries import public_rows, visible_announcements

MATCH = "match"
SAME_LIST_OTHER_FORMAT = "format"
DIFFERS = "differs"
NO_MATCH = "none"
PDF_NAMES = "pdf_names"
BUSY = "busy"
PDF_LOCK = 7312  # pg_try_advisory_lock key: one PDF read at a time for the whole portal
UNREADABLE = "unreadable"

_HEX = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_SPACE = re.compile(r"\s+")


@dataclass
class Verdict:
    outcome: str
    announcement: Announcement | None = None
    detail: str = ""
    kind: str = "csv"
    newer: list = field(default_factory=list)


def check_document(data, *, now=None):
    """The verdict on an uploaded file's bytes."""
    visible = visible_announcements(now)
    if data.startswith(b"%PDF"):
        return _with_newer(_check_pdf(data, visible), visible)
    return _with_newer(_check_csv(data, visible), visible)


def _with_newer(verdict, visible):
    if verdict.announcement is not None:
        verdict.newer = list(
            visible.filter(number=verdict.announcement.number, round_id=verdict.announcement.round_id)
            .filter(version__gt=verdict.announcement.version)
            .order_by("version")
        )
    return verdict


def _check_csv(data, visible):
    found = visible.filter(fingerprint=fingerprint_of(data)).first()
    if found is not None:
        return Verdict(MATCH, found)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Verdict(UNREADABLE, detail=_("Berkas ini bukan CSV UTF-8 dan bukan PDF."))
    normalised = text.removeprefix("\ufeff").replace("\r\n", "\n")
    claimed = _claimed_version(normalised, visible)
    if claimed is None:
        return Verdict(NO_MATCH)
    if fingerprint_of(normalised) == claimed.fingerprint:
        return Verdict(SAME_LIST_OTHER_FORMAT, claimed)
    return Verdict(DIFFERS, claimed, detail=_first_difference(claimed.canonical_csv, normalised))


def _claimed_version(text, visible):
    """The visible version the CSV's first row names (number and version), or None."""
    try:
        rows = csv.reader(io.StringIO(text))
        header = next(rows, None)
        first = next(rows, None)
    except csv.Error:
        return None
    if header != FINGERPRINT_COLUMNS or not first or len(first) < 2 or not first[1].isdigit():
        return None
    return visible.filter(number=first[0], version=int(first[1])).first()


def _first_difference(expected, given):
    expected_lines, given_lines = expected.split("\n"), given.split("\n")
    for number, (want, have) in enumerate(zip(expected_lines, given_lines, strict=False), start=1):
        if want != have:
            return _("Baris %(line)s berbeda. Diumumkan: %(want)s · Berkas ini: %(have)s") % {
                "line": number,
                "want": want[:300],
                "have": have[:300],
            }
    return _("Jumlah baris berbeda: diumumkan %(want)s, berkas ini %(have)s.") % {
        "want": len(expected_lines) - 1,
        "have": len(given_lines) - 1,
    }


def _check_pdf(data, visible):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [PDF_LOCK])
        if not cursor.fetchone()[0]:
            return Verdict(BUSY, kind="pdf", detail=_("Pemeriksaan PDF lain sedang berjalan; coba lagi sebentar lagi."))
        try:
            text = _pdf_text(data)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PDF_LOCK])
    if text is None:
        return Verdict(
            UNREADABLE, kind="pdf", detail=_("PDF ini tidak dapat dibaca (rusak, terenkripsi atau terlalu rumit).")
        )
    for fingerprint in dict.fromkeys(_HEX.findall(text)):
        found = visible.filter(fingerprint=fingerprint).first()
        if found is not None:
            missing = _missing_entries(found, text)
            if missing:
                return Verdict(DIFFERS, found, kind="pdf", detail=missing)
            # A PDF can print a genuine fingerprint beside anything else (entries added, order changed, hidden
            # text): it is never "a match", only a document that names this version, to compare with it.
            return Verdict(PDF_NAMES, found, kind="pdf")
    return Verdict(NO_MATCH, kind="pdf")


def _missing_entries(announcement, text):
    """A sentence naming what of the version the PDF's text lacks: its signatory, or the first entry of its lists
    whose code and title are not there (compared without spaces: a long title wraps in a table cell); or ""."""
    flat = _SPACE.sub("", text)
    if _SPACE.sub("", announcement.signatory_name) not in flat:
        return _("Penanda tangan versi ini (%(name)s) tidak ada di PDF ini.") % {"name": announcement.signatory_name}
    selected, reserve = public_rows(announcement)
    for row in selected + reserve:
        if _SPACE.sub("", row.entry_code) not in flat or _SPACE.sub("", row.title) not in flat:
            return _("Proposal %(code)s \u00ab%(title)s\u00bb dari daftar yang diumumkan tidak ada di PDF ini.") % {
                "code": row.entry_code,
                "title": row.title,
            }
    return ""


def _pdf_text(data):
    command = [
        sys.executable,
        "-m",
        "judging.publication.pdf_text",
        str(settings.UPLOAD_PDF_CPU_SECONDS),
        str(settings.UPLOAD_PDF_MEMORY_MB),
        "2000000",
    ]
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(settings.BASE_DIR), "PYTHONHASHSEED": "0"}
    try:
        child = subprocess.run(  # noqa: S603 - our own module, the file on standard input
            command,
            input=data,
            capture_output=True,
            timeout=settings.UPLOAD_PDF_CPU_SECONDS * 3 + 10,
            cwd=settings.BASE_DIR,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if child.returncode != 0:
        return None
    return child.stdout.decode("utf-8", "replace")
