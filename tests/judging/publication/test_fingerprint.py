"""Fingerprinted announcements (issue 16, shared/DESIGN.md "the fingerprint"): the version's CSV download is its
canonical CSV, whose SHA-256 is printed on the public page and in the PDF; the public "check a document" page
recognises the CSV and the PDF and refuses a changed one; the database keeps a sealed version as it was."""

import datetime
import hashlib
import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from judging.models import Announcement, AnnouncementRow
from judging.publication import services as pub
from judging.publication.fingerprint import FINGERPRINT_COLUMNS
from judging.publication.pdf import announcement_pdf
from judging.publication.queries import public_rows
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.pages import page_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(settings):
    settings.DOCUMENT_CHECKS_PER_ADDRESS_PER_HOUR = 1000
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    return published(round_, a, b, show_totals=True), a, b


def _csv(client, announcement):
    response = client.get(reverse("judging:public_download", args=[announcement.pk, "csv"]))
    assert response.status_code == 200
    return response.content


def _check(client, name, data):
    response = client.post(reverse("judging:check_document"), {"document": SimpleUploadedFile(name, data)})
    body = page_body(response)
    outcome = re.search(r'id="check-result" data-outcome="(\w+)"', body)
    return response.status_code, (outcome.group(1) if outcome else None), body


def test_sha256sum_of_the_download_is_the_fingerprint_on_the_page_and_in_the_pdf(client, version, tmp_path):
    announcement, _a, _b = version
    data = _csv(client, announcement)
    path = tmp_path / "daftar.csv"
    path.write_bytes(data)
    printed = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]
    page = page_body(client.get(reverse("judging:public_announcement", args=[announcement.pk])))
    assert re.search(r"data-fingerprint>([0-9a-f]{64})<", page).group(1) == printed
    pdf = client.get(reverse("judging:public_pdf", args=[announcement.pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert printed in text.replace("\n", "")
    assert Announcement.objects.get(pk=announcement.pk).fingerprint == printed


def test_the_canonical_csv_keeps_the_contract(client, version):
    announcement, _a, _b = version
    data = _csv(client, announcement)
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")[:-1]
    assert lines[0] == ",".join(FINGERPRINT_COLUMNS)
    selected, reserve = public_rows(announcement)
    assert len(lines) == 1 + len(selected) + len(reserve)
    first = lines[1].split(",")
    assert first[:6] == ["065/134/II/B", "1", "2023-02-20", "Dr. Kepala Biro", "selected", "1"]
    assert first[6] == selected[0].entry_code and first[-1] == f"{selected[0].total:.4f}"
    assert lines[-1].split(",")[4:7] == ["reserve", "1", reserve[0].entry_code]


def test_totals_are_empty_in_the_csv_where_they_are_not_public(client):
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    rows = _csv(client, announcement).decode().split("\n")[1:-1]
    assert rows and all(row.endswith(",") for row in rows)


def test_the_check_page_recognises_the_csv_and_refuses_one_changed_name(client, version):
    announcement, _a, _b = version
    data = _csv(client, announcement)
    status, outcome, body = _check(client, "daftar.csv", data)
    assert (status, outcome) == (200, "match") and "Cocok" in body and "065/134/II/B" in body
    title = public_rows(announcement)[0][0].title
    changed = data.replace(title.encode(), (title + " Palsu").encode(), 1)
    status, outcome, body = _check(client, "daftar.csv", changed)
    assert (status, outcome) == (200, "differs") and "Baris 2 berbeda" in body and "Palsu" in body
    status, outcome, _body = _check(client, "daftar.csv", b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    assert outcome == "format"  # a spreadsheet program saved it again: the same list, another fingerprint
    assert _check(client, "lain.csv", b"a,b\n1,2\n")[1] == "none"
    assert _check(client, "biner.csv", b"\xff\xfe\x00binary")[1] == "unreadable"


def test_the_check_page_reads_the_pdf_and_refuses_a_changed_one(client, version):
    announcement, _a, _b = version
    pdf = client.get(reverse("judging:public_pdf", args=[announcement.pk])).content
    status, outcome, body = _check(client, "pengumuman.pdf", pdf)
    assert outcome == "pdf_names" and "065/134/II/B" in body and "Cocok" not in body  # a PDF is never "a match"
    selected, reserve = public_rows(announcement)
    selected[0].title = "Judul Yang Dipalsukan"  # in memory only: a forged PDF with the genuine fingerprint printed
    forged = announcement_pdf(announcement, selected, reserve)
    status, outcome, body = _check(client, "pengumuman.pdf", forged)
    assert outcome == "differs" and AnnouncementRow.objects.get(pk=selected[0].pk).title in body
    assert _check(client, "rusak.pdf", b"%PDF-1.7\nnot a pdf at all")[1] == "unreadable"


def test_an_embargoed_version_matches_nothing(client):
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    later = published(round_, a, b, embargo_until=timezone.now() + datetime.timedelta(hours=3))
    assert later.fingerprint  # sealed at approval, before it is public
    data = later.canonical_csv.encode()
    assert client.get(reverse("judging:public_download", args=[later.pk, "csv"])).status_code == 404
    assert _check(client, "daftar.csv", data)[1] == "none"


def test_a_correction_is_a_new_version_with_its_own_fingerprint(client, version):
    first, a, b = version
    correction = pub.prepare_correction(
        announcement=first, actor=a, correction_note="Ejaan", signatory_name="Dr. Ejaan"
    )
    pub.submit_for_approval(announcement=correction, actor=a)
    correction = pub.approve_announcement(announcement=correction, actor=b)
    assert correction.fingerprint and correction.fingerprint != first.fingerprint
    assert hashlib.sha256(_csv(client, correction)).hexdigest() == correction.fingerprint
    status, outcome, body = _check(client, "lama.csv", _csv(client, first))
    assert outcome == "match" and "Versi ini sudah dikoreksi" in body and "versi 2" in body


def test_the_database_keeps_a_sealed_version_as_it_was(version):
    announcement, _a, _b = version
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(fingerprint="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(canonical_csv="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncementRow.objects.filter(announcement=announcement).update(title="Lain")
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(fingerprint="")  # nor unsealed
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(fingerprint="ABC")
    for change in ({"signatory_name": "EVIL"}, {"show_totals": False}, {"list_order": "alphabetical"}):
        with pytest.raises(IntegrityError), transaction.atomic():  # what its page and PDF show is sealed too
            Announcement.objects.filter(pk=announcement.pk).update(**change)
    round_, _next, _entries, _judges = closed_round()
    draft = pub.prepare_announcement(round_=round_, actor=_a, **text_fields(number="999/X"))
    with pytest.raises(IntegrityError), transaction.atomic():  # no row moves into a sealed version
        AnnouncementRow.objects.filter(announcement=draft).update(announcement=announcement, rank=1000)
    Announcement.objects.filter(pk=announcement.pk).update(notified_at=timezone.now())  # other fields still change


def test_the_check_page_keeps_within_its_limits(client, version, settings):
    settings.CHECK_DOCUMENT_MAX_BYTES = 100
    status, outcome, body = _check(client, "besar.csv", b"x" * 101)
    assert status == 400 and outcome is None and "Berkas terlalu besar" in body
    settings.CHECK_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    settings.DOCUMENT_CHECKS_PER_ADDRESS_PER_HOUR = 3  # the refused large file above counted as one
    assert _check(client, "a.csv", b"a\n")[0] == 200
    assert _check(client, "a.csv", b"a\n")[0] == 200
    status, _outcome, body = _check(client, "a.csv", b"a\n")
    assert status == 429 and "Terlalu banyak pemeriksaan" in body
    assert client.get(reverse("judging:check_document")).status_code == 200
