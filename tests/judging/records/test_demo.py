"""seed_demo with the records seeder (order 400): the 2022 year, records with history, a year of updates, two
replication requests (one implemented); idempotent."""

import io

import pytest
from django.core.management import call_command

from judging.models import IndicatorValue, InnovationRecord, RecordEntry, ReplicationRequest
from judging.records.queries import catalogue, public_records

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    call_command("seed_demo", "--password", "kata-sandi-demo-1", stdout=out)
    return out.getvalue()


def test_seed_demo_records(media_root):
    _seed()
    assert public_records().exists()
    sms = InnovationRecord.objects.get(title="Sapa Masyarakat Sekitar (SMS)")
    assert sorted(RecordEntry.objects.filter(record=sms).values_list("year", flat=True)) == [2022, 2023]
    assert [r.pk for r in catalogue({"q": "putus sekolah"})][:1] == [sms.pk]
    assert IndicatorValue.objects.filter(record=sms).exists()
    states = sorted(ReplicationRequest.objects.filter(record=sms).values_list("state", flat=True))
    assert states == ["implemented", "requested"]
    assert InnovationRecord.objects.filter(is_running=False).count() == 1
    counts = (InnovationRecord.objects.count(), IndicatorValue.objects.count(), ReplicationRequest.objects.count())
    _seed()
    assert (
        InnovationRecord.objects.count(),
        IndicatorValue.objects.count(),
        ReplicationRequest.objects.count(),
    ) == counts
