from django.core.management import call_command

from entries.enums import EntryStatus
from entries.models import Attachment, Entry, ImpactIndicator
from entries.queries import annotate_checks, submission_problems, with_checks


def test_seed_demo_entries_idempotent(db, media_root):
    call_command("seed_demo", entries=30, password="kata-sandi-demo-1")
    entries = Entry.objects.filter(competition__slug="kipp-sulsel-2023")
    assert entries.count() == 30
    sms = entries.get(title="Sapa Masyarakat Sekitar (SMS)")
    assert sms.created_by.email == "sms@demo.kipp.id" and sms.agency.name == "UPT SMPN 2 Rumbia"
    assert sms.status == EntryStatus.ELIGIBLE and (sms.village_id, sms.district_id) == ("73.04.10.2006", "73.04.10")
    assert sms.location == "Desa Tompobulu, Kecamatan Rumbia"
    assert sms.indicators.filter(direction="lower", name__icontains="putus sekolah").exists()
    assert submission_problems(sms) == []
    transport = entries.get(title="Transportation Smart")
    assert transport.created_by.email == "dishub@demo.kipp.id"
    assert entries.filter(status=EntryStatus.INELIGIBLE).exclude(decision_reason="").exists()
    assert entries.order_by().values("agency__region").distinct().count() == 24
    assert Attachment.objects.filter(entry=sms, kind="photo").get().thumbnail
    checks = with_checks(annotate_checks(entries.select_related("competition")))
    assert any(c["key"] == "duplicate" for e in checks for c in e.checks)
    upcoming = Entry.objects.filter(competition__slug="kipp-sulsel-2027")
    assert upcoming.filter(status="returned").count() == 1 and upcoming.filter(status="draft").count() >= 2
    indicators = list(
        ImpactIndicator.objects.filter(entry__competition__slug__in=["kipp-sulsel-2023", "kipp-sulsel-2027"])
    )
    assert {i.kind for i in indicators if i.unit in ("orang", "kasus")} == {"count"}
    assert {i.kind for i in indicators if i.unit == "%"} == {"percent"}
    for i in indicators:  # only plausible values: whole counts of people and cases, shares within 0..100
        for value in (i.baseline_value, i.latest_value):
            assert i.kind != "count" or (value >= 0 and value == value.to_integral_value()), (i.name, value)
            assert i.kind != "percent" or 0 <= value <= 100, (i.name, value)
    before = (Entry.objects.count(), Attachment.objects.count())
    call_command("seed_demo", entries=30, password="kata-sandi-demo-1")
    assert (Entry.objects.count(), Attachment.objects.count()) == before
