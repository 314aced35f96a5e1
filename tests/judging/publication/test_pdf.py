"""The printed announcement: codes on one line, the signatory's title then name, every page numbered, and the
signature kept with the last rows of the list (never alone on the last page)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from judging.models import AnnouncementRow
from judging.publication.pdf import announcement_pdf
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db

TITLE = "Kepala Biro Organisasi Setda Provinsi Sulawesi Selatan"
NAME = "Andi Rahmat Hidayat, S.STP., M.Si."


def _pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _rows(announcement, n, outcome="selected", start=0):
    return [
        AnnouncementRow(
            announcement=announcement,
            rank=start + i,
            total=90 - (start + i) / 10,
            entry_code=f"SULSEL-2023-{start + i:03d}",
            title="Layanan Administrasi Kependudukan Jemput Bola Terpadu Berbasis Desa Kepulauan Selayar",
            agency="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Pangkajene dan Kepulauan",
            region="Kabupaten Pangkajene dan Kepulauan",
            outcome=outcome,
            ranked_outcome=outcome,
        )
        for i in range(1, n + 1)
    ]


def _check(pages, codes):
    text = "\n".join(pages)
    lines = text.splitlines()
    for code in codes:
        assert any(code in line for line in lines), f"{code} is not whole on one line"
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {total}" in page
    last = " ".join(pages[-1].split())  # the title may wrap in the signature block
    assert TITLE in last and NAME in last.split(TITLE)[1], "the signatory's name does not follow the title"
    # the signature is not alone: the last page also holds rows of the list
    assert re.search(r"SULSEL-2023-\d{3}|E\d", last.split(TITLE)[0]), "the signature is alone on the last page"


@pytest.mark.parametrize("n", [12, 18, 25, 31, 40, 47, 50, 55])
def test_pdf_of_long_lists_keeps_codes_whole_numbers_pages_and_signs_with_rows(n):
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, signatory_name=NAME, signatory_title=TITLE, show_totals=True)
    selected = _rows(announcement, n)
    reserve = _rows(announcement, 5, outcome="reserve", start=n)
    pages = _pages(announcement_pdf(announcement, selected, reserve))
    _check(pages, [r.entry_code for r in selected + reserve])


def test_pdf_without_reserve_signs_with_the_last_selected_rows():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b, signatory_name=NAME, signatory_title=TITLE)
    for n in (36, 44):
        selected = _rows(announcement, n)
        pages = _pages(announcement_pdf(announcement, selected, []))
        assert len(pages) > 1
        _check(pages, [r.entry_code for r in selected])


def test_public_pdf_prints_the_organisations_letterhead_and_the_announcements_signatory(client):
    round_, _next, _entries, _judges = closed_round()
    organisation = round_.competition.organisation
    organisation.heading_lines, organisation.address = "PEMERINTAH KABUPATEN JENEPONTO", "Jl. Lanto No. 1"
    organisation.save()
    a, b = organisers()
    announcement = published(round_, a, b, signatory_name=NAME, signatory_title=TITLE, letterhead="(teks lama)")
    pages = _pages(client.get(reverse("judging:public_pdf", args=[announcement.pk])).content)
    head = pages[0].split("Nomor")[0]
    assert "PEMERINTAH KABUPATEN JENEPONTO" in head and "Jl. Lanto No. 1" in head
    assert "SULAWESI SELATAN" not in head and "(teks lama)" not in pages[0]
    _check(pages, ["E1", "E2", "E3"])
