import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from entries.enums import AttachmentKind
from entries.models import ProposalAnswer
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    CompetitionFactory,
    EntryFactory,
    InnovatorFactory,
    OrganiserFactory,
    ProposalSectionFactory,
    VerifierFactory,
    region,
)

SECTIONS = [
    ("ringkasan", "Ringkasan", 200),
    ("latar_belakang", "Latar belakang dan tujuan", 1000),
    ("kebaruan", "Kebaruan", 1000),
]


def png_bytes(size=(40, 30), color=(200, 30, 30), fmt="PNG", **save):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def minimal_pdf():
    """A small valid one-page PDF (built by pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def competition(db):
    competition = CompetitionFactory(quota_per_region=None, quota_per_agency=None)
    for order, (key, title, limit) in enumerate(SECTIONS):
        ProposalSectionFactory(competition=competition, key=key, title=title, word_limit=limit, order=order)
    CategoryFactory(competition=competition, key="inklusif", name="Pelayanan publik inklusif")
    return competition


@pytest.fixture
def agency(db):
    return AgencyFactory(name="UPT SMPN 2 Rumbia")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Dinas Kesehatan Kota Makassar", region=region("73.71"))


@pytest.fixture
def innovator(agency):
    return InnovatorFactory(agency=agency, full_name="Suhaedir Bahtiar")


@pytest.fixture
def colleague(agency):
    return InnovatorFactory(agency=agency, full_name="Rekan Satu Instansi")


@pytest.fixture
def other_innovator(other_agency):
    return InnovatorFactory(agency=other_agency, full_name="Inovator Lain")


@pytest.fixture
def verifier(db):
    return VerifierFactory(region=region("73.04"), full_name="Verifikator Jeneponto")


@pytest.fixture
def other_verifier(db):
    return VerifierFactory(region=region("73.71"), full_name="Verifikator Makassar")


@pytest.fixture
def organiser(db):
    return OrganiserFactory(full_name="Biro Organisasi")


@pytest.fixture
def entry(competition, agency, innovator):
    return EntryFactory(competition=competition, agency=agency, created_by=innovator, title="Sapa Masyarakat Sekitar")


def make_complete(entry, media_root=None):
    """Fill an entry so that it can be submitted (answers, profile, a photo and the decree)."""
    from entries.models import Attachment

    for section in entry.competition.sections.all():
        ProposalAnswer.objects.update_or_create(entry=entry, section=section, defaults={"text": "Teks jawaban " * 5})
    entry.started_on = datetime.date(2020, 1, 15)
    entry.stage = "pengembangan"
    entry.category = entry.competition.categories.first()
    entry.save()
    for kind, ctype in ((AttachmentKind.PHOTO, "image/png"), (AttachmentKind.DECREE, "application/pdf")):
        Attachment.objects.create(
            entry=entry,
            kind=kind,
            file=f"entries/test/{kind}.bin",
            original_name=f"{kind}.bin",
            size=10,
            content_type=ctype,
            sha256="0" * 64,
            uploaded_by=entry.created_by,
        )
    return entry


@pytest.fixture
def complete_entry(entry):
    return make_complete(entry)


@pytest.fixture
def closed_competition(competition):
    competition.opens_at = timezone.now() - datetime.timedelta(days=30)
    competition.closes_at = timezone.now() - datetime.timedelta(days=1)
    competition.save()
    return competition
