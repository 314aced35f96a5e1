"""Limits of objections, counted in the database by kipp.limits (one count shared by every app server and worker
process; a local-memory cache counted per process: 18 of 30 accepted against a limit of 5).

- Anonymous: at most settings.ANONYMOUS_OBJECTIONS_PER_HOUR per client address and announcement in an hour.
- Signed in: at most settings.SIGNED_IN_OBJECTIONS_PER_HOUR per person and announcement in an hour, and
  settings.SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT in all (counted from the stored objections).
0 means no limit. Hours are kipp.limits' fixed windows (they start on the hour, the same for every process); a take
is counted just before the objection is stored, in its transaction, so two simultaneous requests cannot both take
the last place. The client address comes from kipp.middleware.client_ip (REMOTE_ADDR, X-Forwarded-For only with
TRUSTED_PROXY_COUNT)."""

from django.conf import settings

from judging.models import Objection
from kipp import limits
from kipp.models import User

WINDOW_SECONDS = 60 * 60


def objection_limit():
    return getattr(settings, "ANONYMOUS_OBJECTIONS_PER_HOUR", 0) or 0


def signed_in_hourly_limit():
    return getattr(settings, "SIGNED_IN_OBJECTIONS_PER_HOUR", 0) or 0


def signed_in_total_limit():
    return getattr(settings, "SIGNED_IN_OBJECTIONS_PER_ANNOUNCEMENT", 0) or 0


def objection_key(announcement, client_address):
    return f"objection:anonymous:{announcement.pk}:{client_address}"


def person_key(announcement, user):
    return f"objection:person:{announcement.pk}:{user.pk}"


def retry_after(now=None):
    """Seconds until the current hour's count ends."""
    return limits.retry_after(WINDOW_SECONDS, now)


def take_objection_allowance(announcement, client_address, now=None):
    """Count one anonymous objection from client_address on announcement; False when it is over the limit (the
    caller stores nothing then). Without an address (a command, a test without REMOTE_ADDR) nothing is counted."""
    if not client_address:
        return True
    return limits.take(
        objection_key(announcement, client_address), limit=objection_limit(), window=WINDOW_SECONDS, now=now
    )


def signed_in_over_total(announcement, user):
    """True when the person has already filed the limit of objections on this announcement. Call inside a
    transaction: the person's row is locked, so two simultaneous objections are counted one after the other."""
    limit = signed_in_total_limit()
    if limit <= 0:
        return False
    User.objects.select_for_update().filter(pk=user.pk).first()
    return Objection.objects.filter(announcement=announcement, filed_by=user).count() >= limit


def take_signed_in_allowance(announcement, user, now=None):
    """Count one objection of a signed-in person on announcement in this hour; False when over the limit."""
    return limits.take(person_key(announcement, user), limit=signed_in_hourly_limit(), window=WINDOW_SECONDS, now=now)
