"""Who sees a competition's outbox and resends its failed mails: its organisers (kipp.permissions.is_organiser)."""

from kipp.outbox.enums import NotificationState
from kipp.permissions import is_organiser


def can_see_outbox(user, competition):
    return is_organiser(user)


def can_resend(user, notification):
    return bool(
        notification.state == NotificationState.FAILED
        and notification.competition_id is not None
        and can_see_outbox(user, notification.competition)
    )
