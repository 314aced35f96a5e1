"""Withdrawal ends when the competition's final results are public (issue 17 finding 15): entries learns it from
judging through the hook "final_results_public"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entries import services as entry_services
from entries.permissions import can_withdraw_entry
from judging.publication import services as pub
from judging.publication.enums import AnnouncementKind
from kipp.errors import Refused
from kipp.models import AuditEvent
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    innovator = InnovatorFactory(agency=entries["E3"].agency)
    return round_, entries, a, b, innovator


def _final(round_, a, b, **overrides):
    announcement = pub.prepare_announcement(
        round_=round_, actor=a, kind=AnnouncementKind.FINAL, **text_fields(number="065/200/XI/B", **overrides)
    )
    pub.submit_for_approval(announcement=announcement, actor=a)
    return pub.approve_announcement(announcement=announcement, actor=b)


def test_once_the_final_results_are_public_withdrawal_is_refused_with_their_date(client, scene):
    round_, entries, a, b, innovator = scene
    final = _final(round_, a, b)
    entry = entries["E3"]
    assert not can_withdraw_entry(innovator, entry)
    with pytest.raises(Refused) as refused:
        entry_services.withdraw_entry(entry=entry, user=innovator)
    message = str(refused.value)
    assert f"Hasil akhir {round_.competition.name} sudah diumumkan pada" in message
    assert timezone.localtime(final.published_at).strftime("%Y") in message and "WITA" in message
    assert "tidak dapat ditarik lagi" in message
    entry.refresh_from_db()
    assert entry.status == "eligible"
    assert not AuditEvent.objects.filter(action="entries.withdraw").exists()

    client.force_login(innovator)  # the page offers no withdraw button, and a forged post changes nothing
    page = client.get(reverse("entries:detail", args=[entry.pk])).content.decode()
    assert reverse("entries:withdraw", args=[entry.pk]) not in page
    assert 'id="withdrawal-ended"' in page and f"Hasil akhir {round_.competition.name} sudah diumumkan" in page
    client.post(reverse("entries:withdraw", args=[entry.pk]), {"note": "mundur"})
    entry.refresh_from_db()
    assert entry.status == "eligible"


def test_a_round_announcement_or_a_final_one_under_embargo_does_not_end_withdrawal(scene):
    round_, entries, a, b, innovator = scene
    published(round_, a, b)  # the round's Top 2: not the final results
    _final(round_, a, b, embargo_until=timezone.now() + datetime.timedelta(days=1))  # approved, still embargoed
    assert can_withdraw_entry(innovator, entries["E3"])
    entry_services.withdraw_entry(entry=entries["E3"], user=innovator)
    entries["E3"].refresh_from_db()
    assert entries["E3"].status == "withdrawn"
