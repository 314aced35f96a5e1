"""Reads of the outbox shared by its page and the pages that show a mail's progress (an announcement's outcomes)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.http import urlencode

from kipp.outbox.enums import NotificationState
from kipp.outbox.models import Notification


def about_key(obj):
    """The outbox filter's value for the mails about `obj` ("judging.announcement:12")."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def filter_about(queryset, key):
    """The mails about the object named by about_key(); none for a key that names nothing."""
    label, _, pk = (key or "").partition(":")
    app_label, _, model = label.partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return queryset.none()
    return queryset.filter(subject_type=content_type, subject_id=pk)


def state_counts(queryset):
    """{"queued": n, "sent": n, "failed": n} of a queryset of notifications, in one query."""
    counts = {state.value: 0 for state in NotificationState}
    for row in queryset.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def _seconds_left(queryset, counts):
    """The time until the queued ones are sent, at the pace of those sent so far (None before two were sent)."""
    if not counts[NotificationState.QUEUED] or counts[NotificationState.SENT] < 2:
        return None
    span = queryset.filter(state=NotificationState.SENT).aggregate(first=Min("sent_at"), last=Max("sent_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    pace = seconds / (counts[NotificationState.SENT] - 1)  # seconds per mail
    return counts[NotificationState.QUEUED] * pace


def mail_progress(obj, *, kind, competition):
    """The mails of `kind` about `obj`: their counts by state, the share done (sent or failed) in percent, the time
    left (kipp.jobs.views.time_left_text) while some are queued, and a link to them on the competition's outbox."""
    from kipp.jobs.views import time_left_text

    queryset = Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        subject_id=str(obj.pk),
        kind=kind,
    )
    counts = state_counts(queryset)
    total = sum(counts.values())
    done = counts[NotificationState.SENT] + counts[NotificationState.FAILED]
    query = urlencode({"kind": kind, "about": about_key(obj)})
    return {
        **counts,
        "total": total,
        "percent": int(100 * done / total) if total else 100,
        "time_left": time_left_text(_seconds_left(queryset, counts)),
        "url": f"{reverse('kipp:outbox', args=[competition.slug])}?{query}",
    }
