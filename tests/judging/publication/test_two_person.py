"""Two people for real (issue 17 finding 10): no one who prepared or changed an announcement may approve it, in the
service, on the page and in the database."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from judging.models import Announcement, RoundEntry
from judging.publication import services as pub
from judging.scoring.permissions import can_approve_announcement
from judging.scoring.services import JudgingError
from tests.factories import OrganiserFactory
from tests.judging.publication.helpers import closed_round, listed, organisers, text_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_, next_round, entries, _judges = closed_round()
    a, b = organisers()
    return round_, next_round, entries, a, b


def _prepared_changed_back(round_, entries, a, b):
    """A prepares, B changes the list, A changes the text (A is the preparer again), A submits."""
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.change_outcome(
        announcement=announcement, entry=entries["E4"], to_outcome="selected", reason="Proporsionalitas", actor=b
    )
    pub.update_announcement(announcement=announcement, actor=a, title="Judul baru")
    pub.submit_for_approval(announcement=announcement, actor=a)
    announcement.refresh_from_db()
    return announcement


def test_a_prepares_b_changes_a_changes_then_b_may_not_approve(scene):
    round_, next_round, entries, a, b = scene
    announcement = _prepared_changed_back(round_, entries, a, b)
    assert announcement.prepared_by == a and set(announcement.editor_ids) == {a.pk, b.pk}
    with pytest.raises(JudgingError) as refused:
        pub.approve_announcement(announcement=announcement, actor=b)
    message = str(refused.value)
    assert "tidak dapat menyetujuinya sendiri" in message
    assert "penyelenggara lain yang tidak menyiapkan dan tidak mengubahnya" in message
    assert "Organiser A" in message and "Organiser B" in message
    announcement.refresh_from_db()
    round_.refresh_from_db()
    assert announcement.state == "awaiting" and announcement.approved_by is None
    assert round_.state == "closed" and not RoundEntry.objects.filter(round=next_round).exists()
    assert not can_approve_announcement(b, announcement) and not can_approve_announcement(a, announcement)


def test_a_third_organiser_approves(scene):
    round_, _next, entries, a, b = scene
    announcement = _prepared_changed_back(round_, entries, a, b)
    c = OrganiserFactory(full_name="Organiser C")
    assert can_approve_announcement(c, announcement)
    pub.approve_announcement(announcement=announcement, actor=c)
    announcement.refresh_from_db()
    assert announcement.state == "published" and announcement.approved_by == c
    assert ("E4", "selected") in listed(announcement)


def test_the_database_refuses_an_editor_as_approver(scene):
    round_, _next, entries, a, b = scene
    announcement = _prepared_changed_back(round_, entries, a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(approved_by=b, state="published", fingerprint="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():  # nor can the preparer leave the editors
        Announcement.objects.filter(pk=announcement.pk).update(editor_ids=[b.pk])
    announcement.refresh_from_db()
    assert announcement.approved_by is None and set(announcement.editor_ids) == {a.pk, b.pk}


def test_the_approval_page_offers_no_button_to_an_editor_and_refuses_the_post(client, scene):
    round_, _next, entries, a, b = scene
    announcement = _prepared_changed_back(round_, entries, a, b)
    client.force_login(b)
    page = client.get(reverse("judging:announcement_manage", args=[announcement.pk])).content.decode()
    assert 'id="two-person-note"' in page and "Organiser A" in page
    editors = page.split('id="editors">', 1)[1].split("</dd>", 1)[0]
    assert "Organiser A, Organiser B" in editors
    assert reverse("judging:announcement_action", args=[announcement.pk, "approve"]) not in page
    response = client.post(reverse("judging:announcement_action", args=[announcement.pk, "approve"]), follow=True)
    assert "tidak dapat menyetujuinya sendiri" in response.content.decode()
    announcement.refresh_from_db()
    assert announcement.state == "awaiting"


def test_a_correction_has_its_own_editors(scene):
    """The correction's preparer (and the changes carried over in their name) make them its editor; the approver of
    the first version, who did not change the correction, may approve it."""
    round_, _next, entries, a, b = scene
    first = pub.prepare_announcement(round_=round_, actor=a, **text_fields())
    pub.submit_for_approval(announcement=first, actor=a)
    pub.approve_announcement(announcement=first, actor=b)
    correction = pub.prepare_correction(announcement=first, actor=b, correction_note="Uji ulang tanpa perubahan.")
    assert correction.editor_ids == [b.pk]
    pub.submit_for_approval(announcement=correction, actor=b)
    with pytest.raises(JudgingError, match="tidak dapat menyetujuinya sendiri"):
        pub.approve_announcement(announcement=correction, actor=b)
    pub.approve_announcement(announcement=correction, actor=a)
