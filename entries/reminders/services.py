"""Innovators whose agency still holds a draft hear 3 days before the competition's deadline (its `closes_at`).
Run by the periodic job entries.tasks.remind_drafts.

Once per person, competition and kind: the DraftReminder row is inserted in the transaction that queues the mail
(kipp.mail), and its UNIQUE constraint makes a second run, or a concurrent one, find it and send nothing. One mail
per person lists all of their agency's drafts in that competition. A draft with its own later deadline (an
extension granted by the organiser) is not under the competition's deadline and is left out.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from entries.enums import EntryStatus
from entries.models import DeadlineExtension, Entry
from entries.reminders.models import DraftReminder, DraftReminderKind
from kipp.mail import absolute_url, send_templated_mails, templated_message
from kipp.models import Competition, User
from kipp.services import record_event

AHEAD = datetime.timedelta(days=3)


def remind_drafts(*, now=None):
    """Mail every innovator with a draft in a competition closing within 3 days who has not had this reminder.
    Safe to run twice or concurrently. Returns the number of mails."""
    now = now or timezone.now()
    competitions = Competition.objects.filter(opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + AHEAD)
    return sum(remind_competition_drafts(competition=c, now=now) for c in competitions)


def _drafts(competition):
    extended = DeadlineExtension.objects.filter(entry=OuterRef("pk"), deadline__gt=F("entry__competition__closes_at"))
    return (
        Entry.objects.filter(competition=competition, status=EntryStatus.DRAFT)
        .exclude(Exists(extended))
        .only("id", "code", "title", "agency_id")
        .order_by("code", "id")
    )


def remind_competition_drafts(*, competition, now):
    kind = DraftReminderKind.BEFORE_3D
    if not (competition.opens_at <= now < competition.closes_at <= now + AHEAD):
        return 0
    by_agency = {}
    for entry in _drafts(competition):
        by_agency.setdefault(entry.agency_id, []).append(
            {
                "code": entry.code,
                "title": entry.title,
                "url": absolute_url(reverse("entries:detail", args=[entry.pk])),
            }
        )
    if not by_agency:
        return 0
    reminded = DraftReminder.objects.filter(competition=competition, kind=kind).values("person_id")
    people = (
        User.objects.filter(
            is_active=True,
            agency_confirmed_at__isnull=False,
            agency_id__in=list(by_agency),
        )
        .exclude(email="")
        .exclude(pk__in=reminded)
        .order_by("pk")
    )
    sent = sum(
        _remind(competition=competition, person=person, kind=kind, drafts=by_agency[person.agency_id])
        for person in people
    )
    if sent:
        record_event(
            actor=None,
            action="entries.drafts_reminded",
            obj=competition,
            details={"kind": str(kind), "people": sent},
        )
    return sent


def _remind(*, competition, person, kind, drafts):
    """The row and the mail in one transaction; nothing when the row is there already (another run sent it)."""
    with transaction.atomic():
        _reminder, created = DraftReminder.objects.get_or_create(
            competition=competition,
            person=person,
            kind=kind,
            defaults={"deadline": competition.closes_at, "drafts": len(drafts)},
        )
        if not created:
            return 0
        send_templated_mails(
            [
                templated_message(
                    to=person.email,
                    template="entries/email/draft_reminder",
                    context={
                        "name": person.full_name,
                        "competition": competition.name,
                        "deadline": competition.closes_at,
                        "drafts": drafts,
                    },
                    language=person.language,
                )
            ]
        )
    return 1
