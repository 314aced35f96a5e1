"""Approving one round's announcement never changes an already closed or published round (issue 17 finding 15):
a correction of round 2's list after round 3 closed neither adds nor removes round 3's entries."""

import pytest
from django.urls import reverse

from judging.models import RoundEntry
from judging.publication import services as pub
from kipp.models import AuditEvent
from tests.judging.publication.helpers import closed_round, organisers, published

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["closed", "published"])
def test_a_correction_approved_after_the_next_round_closed_leaves_it_as_it_was(client, state):
    round_, next_round, entries, _judges = closed_round()
    a, b = organisers()
    first = published(round_, a, b)
    assert set(RoundEntry.objects.filter(round=next_round).values_list("entry__code", flat=True)) == {"E1", "E2"}
    next_round.state = state
    next_round.save(update_fields=["state"])
    before = sorted(RoundEntry.objects.filter(round=next_round).values_list("entry_id", "source", "position"))

    entries["E2"].status = "withdrawn"  # E2 withdraws; its replacement would move E3 in and E2 out
    entries["E2"].save(update_fields=["status"])
    correction = pub.replace_withdrawn(announcement=first, entry=entries["E2"], actor=a)
    pub.submit_for_approval(announcement=correction, actor=a)
    client.force_login(b)
    page = client.get(reverse("judging:announcement_manage", args=[correction.pk])).content.decode()
    assert next_round.name in page  # warned before approving: the next round will not change
    response = client.post(reverse("judging:announcement_action", args=[correction.pk, "approve"]), follow=True)
    body = response.content.decode()
    assert "tidak ditambahkan ke babak itu dan tidak ada proposal yang dikeluarkan darinya" in body
    correction.refresh_from_db()
    assert correction.state == "published"
    assert sorted(RoundEntry.objects.filter(round=next_round).values_list("entry_id", "source", "position")) == before
    assert AuditEvent.objects.filter(action="publication.advance_skipped", object_id=str(next_round.pk)).exists()
    response = client.post(reverse("judging:announcement_action", args=[correction.pk, "advance"]), follow=True)
    assert "tidak ditambahkan ke babak itu" in response.content.decode()
    assert sorted(RoundEntry.objects.filter(round=next_round).values_list("entry_id", "source", "position")) == before
