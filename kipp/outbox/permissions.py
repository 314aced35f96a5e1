"""Who sees a competition's outbox and resends its failed mails: the organisers of its organisation."""

from kipp.outbox.enums import NotificationState
from kipp.permissions import organises_competition


def can_see_outbox(user, competition):
    return organises_competition(user, competition)


def can_resend(user, notification):
    return bool(
        notification.state == NotificationState.FAILED
        and notification.competition_id is not None
        and can_see_outbox(user, notification.competition)
    )
