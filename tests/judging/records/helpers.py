"""Builders for innovation record tests: a published Top 2 (E1, E2 selected, E3 reserve) with records built."""

import datetime

from django.utils import timezone

from entries.models import ImpactIndicator, ProposalAnswer
from judging.records.services import build_records
from tests.factories import InnovatorFactory, ProposalSectionFactory
from tests.judging.publication.helpers import closed_round, organisers, published

SMS_TEXT = (
    "Guru dan kepala sekolah menyapa keluarga siswa yang berisiko putus sekolah di Desa Tompobulu, Kecamatan Rumbia."
)


def published_world(**overrides):
    """{round, announcement, entries, records {code: record}, organisers, owner (innovator of E1's agency)}."""
    round_, next_round, entries, judges = closed_round(top_n=2, reserve_n=1)
    section = ProposalSectionFactory(competition=round_.competition, key="ringkasan", title="Ringkasan")
    e1 = entries["E1"]
    e1.title = "Sapa Masyarakat Sekitar (SMS)"
    e1.short_name = "SMS"
    e1.stage = "pelembagaan"
    e1.save()
    ProposalAnswer.objects.create(entry=e1, section=section, text=SMS_TEXT)
    ProposalAnswer.objects.create(entry=entries["E2"], section=section, text="Antrean puskesmas daring.")
    ImpactIndicator.objects.create(
        entry=e1,
        name="Angka putus sekolah",
        unit="siswa",
        direction="lower",
        baseline_value=24,
        baseline_on=datetime.date(2020, 7, 1),
        latest_value=6,
        latest_on=datetime.date(2022, 7, 1),
    )
    a, b = organisers()
    announcement = published(round_, a, b, **overrides)
    records = {}
    if announcement.embargo_until <= timezone.now():
        for record in build_records(announcement=announcement):
            records[record.entry.code] = record
    owner = InnovatorFactory(agency=e1.agency, email="sms-owner@example.org")
    return {
        "round": round_,
        "next_round": next_round,
        "announcement": announcement,
        "entries": entries,
        "records": records,
        "organisers": (a, b),
        "owner": owner,
    }


def add_kind_indicators(entry):
    """Two indicators whose kind limits their values: a count of people and a percentage."""
    for name, kind, unit in (("Siswa kembali bersekolah", "count", "orang"), ("Cakupan kunjungan", "percent", "%")):
        ImpactIndicator.objects.create(
            entry=entry,
            name=name,
            kind=kind,
            unit=unit,
            baseline_value=10,
            baseline_on=datetime.date(2020, 7, 1),
            latest_value=20,
            latest_on=datetime.date(2022, 7, 1),
        )
