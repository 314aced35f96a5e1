"""seed_demo's national part: KemenPANRB, its organiser, the open call kipp-nasional-2023 fed by the provinces
(quota 3), Sulawesi Selatan's 3 nominations (both Jeneponto entries), sms@demo.kipp.id's draft ready to review."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from entries.queries import submission_problems
from judging.models import Nomination
from kipp.models import Competition, User

pytestmark = pytest.mark.django_db


def test_seed_demo_national_call_and_the_sulsel_nominations(client, media_root):
    call_command("seed_demo", password="kata-sandi-demo-1", stdout=io.StringIO())
    national = Competition.objects.get(slug="kipp-nasional-2023")
    assert national.organisation.name == "Kedeputian Bidang Pelayanan Publik KemenPANRB"
    assert national.organisation.level == "nasional"
    assert national.is_open()
    assert national.feeding_rule.quota_per_organisation == 3
    assert "kipp-sulsel-2023" in set(national.feeding_rule.feeds.values_list("lower__slug", flat=True))
    assert User.objects.get(email="organiser-nasional@demo.kipp.id").is_active
    nominations = list(Nomination.objects.filter(competition=national).select_related("entry", "lower_entry"))
    assert len(nominations) == 3
    titles = {n.lower_entry.title for n in nominations}
    assert {"Sapa Masyarakat Sekitar (SMS)", "Transportation Smart"} <= titles
    assert all(n.lower_competition.slug == "kipp-sulsel-2023" and n.announcement_number for n in nominations)
    sms_draft = next(n.entry for n in nominations if n.entry.title == "Sapa Masyarakat Sekitar (SMS)")
    assert sms_draft.status == "draft" and submission_problems(sms_draft) == []
    assert sms_draft.attachments.filter(kind="photo").exists() and sms_draft.indicators.exists()

    client.force_login(User.objects.get(email="sms@demo.kipp.id"))
    page = client.get(reverse("entries:detail", args=[sms_draft.pk])).content.decode()
    assert 'id="entry-provenance"' in page and "KIPP Sulawesi Selatan 2023" in page

    out = io.StringIO()
    call_command("seed_demo", password="kata-sandi-demo-1", stdout=out)
    assert "Nothing to create" in out.getvalue()
    assert Nomination.objects.filter(competition=national).count() == 3
