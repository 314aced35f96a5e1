"""Fixtures of the security tests: a competition with the KIPP sections, an innovator's draft entry, and the
people around it (another agency's innovator, verifiers, judges, an organiser)."""

import io

import pytest
from PIL import Image

from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    CompetitionFactory,
    EntryFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganiserFactory,
    ProposalSectionFactory,
    VerifierFactory,
    region,
)

SECTIONS = [("ringkasan", "Ringkasan", 200), ("latar_belakang", "Latar belakang dan tujuan", 1000)]


def png_bytes(size=(40, 30), color=(200, 30, 30), fmt="PNG", **save):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
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
def innovator(agency):
    return InnovatorFactory(agency=agency, full_name="Suhaedir Bahtiar")


@pytest.fixture
def other_innovator(db):
    return InnovatorFactory(agency=AgencyFactory(name="Dinas Kesehatan Makassar", region=region("73.71")))


@pytest.fixture
def verifier(db):
    return VerifierFactory(region=region("73.04"))


@pytest.fixture
def organiser(db):
    return OrganiserFactory(full_name="Biro Organisasi")


@pytest.fixture
def judge(db):
    return JudgeFactory(full_name="Evaluator Satu")


@pytest.fixture
def entry(competition, agency, innovator):
    return EntryFactory(competition=competition, agency=agency, created_by=innovator, title="Sapa Masyarakat Sekitar")
