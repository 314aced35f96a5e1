"""Sign-in throttling beyond django-axes' (account, address) pairs, against password spraying (many accounts from
one address) and distributed guessing (one account from many addresses).

- More than LOGIN_FAILURES_PER_ADDRESS failed sign-ins from one client address within the cool-off (whatever the
  accounts) lock that address for the cool-off.
- LOGIN_FAILURES_PER_ACCOUNT failed sign-ins at one account within the cool-off (from any addresses) lock the
  account for the cool-off and email its owner a link that opens the lock at once (signed, single-use,
  expiring with the lock). A successful password reset opens it too.

The cool-off is django-axes' (AXES_COOLOFF_MINUTES). Counts and locks live in the database through kipp.limits'
LimitCount rows, so that every app server shares them:
- failures are counted in one-minute windows (`login.failed.address:<ip>`, `login.failed.account:<email>`) and
  summed over the cool-off, so the count slides with time;
- a lock is one row `login.locked.<kind>:<who>` whose window_start is the moment the lock began; it holds while
  that moment is within the cool-off. Opening a lock deletes it (and the failures that led to it).
An account that does not exist is counted and locked the same way (the page says the same; no mail is sent), so
the lock tells nobody which addresses are registered. The check runs in kipp.auth.EmailBackend before the password
is compared: during a lock even the right password does not sign in.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from kipp import limits
from kipp.middleware import client_ip
from kipp.models import LimitCount
from kipp.services import record_event

ADDRESS = "address"
ACCOUNT = "account"
BUCKET_SECONDS = 60
UNLOCK_SALT = "kipp.accounts.unlock"
_NO_CAP = 2**31 - 1  # failures are counted, never refused by limits.take itself


class UnlockLinkInvalid(Exception):
    """The unlock link was tampered with, has expired, or its lock was already opened."""


@dataclass(frozen=True)
class Lock:
    kind: str  # ADDRESS or ACCOUNT
    started: datetime
    until: datetime

    def minutes_left(self, now=None):
        seconds = (self.until - (now or timezone.now())).total_seconds()
        return max(1, math.ceil(seconds / 60))


def cool_off():
    return get_cool_off() or timedelta(minutes=15)


def normalised_email(email):
    return (email or "").strip().lower()


def _who(kind, request, email):
    return (client_ip(request) or "unknown") if kind == ADDRESS else normalised_email(email)


def _failed_key(kind, who):
    return f"login.failed.{kind}:{who}"


def _lock_key(kind, who):
    return f"login.locked.{kind}:{who}"


def _limit(kind):
    return settings.LOGIN_FAILURES_PER_ADDRESS if kind == ADDRESS else settings.LOGIN_FAILURES_PER_ACCOUNT


def _over_limit(kind, failures):
    """More than LOGIN_FAILURES_PER_ADDRESS from one address; LOGIN_FAILURES_PER_ACCOUNT at one account."""
    limit = _limit(kind)
    if not limit or limit <= 0:
        return False
    return failures > limit if kind == ADDRESS else failures >= limit


def _recent_failures(kind, who, now):
    since = limits.window_start(BUCKET_SECONDS, now - cool_off())
    rows = LimitCount.objects.filter(key=_failed_key(kind, who)[:200], window_start__gte=since)
    return rows.aggregate(total=Sum("count"))["total"] or 0


def _active_lock(kind, who, now):
    started = (
        LimitCount.objects.filter(key=_lock_key(kind, who)[:200], window_start__gt=now - cool_off())
        .order_by("-window_start")
        .values_list("window_start", flat=True)
        .first()
    )
    return None if started is None else Lock(kind=kind, started=started, until=started + cool_off())


def active_lock(request, email, now=None):
    """The lock that refuses this sign-in (of the client's address or of the account), or None."""
    now = now or timezone.now()
    locks = [_active_lock(ADDRESS, _who(ADDRESS, request, email), now)]
    if normalised_email(email):
        locks.append(_active_lock(ACCOUNT, _who(ACCOUNT, request, email), now))
    locks = [lock for lock in locks if lock is not None]
    return max(locks, key=lambda lock: (lock.until, lock.kind == ACCOUNT)) if locks else None


def record_failure(request, email, now=None):
    """Count one failed sign-in (the password was compared and was wrong); start the lock it brings about and
    return it, or None. Starting an account lock mails the owner an unlock link."""
    now = now or timezone.now()
    started = None
    for kind in (ADDRESS, ACCOUNT):
        who = _who(kind, request, email)
        if not who:
            continue
        limits.take(_failed_key(kind, who), limit=_NO_CAP, window=BUCKET_SECONDS, now=now)
        if _over_limit(kind, _recent_failures(kind, who, now)) and _active_lock(kind, who, now) is None:
            started = _start_lock(kind, who, request, email, now) or started
    return started


def _start_lock(kind, who, request, email, now):
    moment = now.replace(microsecond=0)
    _row, created = LimitCount.objects.get_or_create(key=_lock_key(kind, who)[:200], window_start=moment)
    if not created:
        return None
    lock = Lock(kind=kind, started=moment, until=moment + cool_off())
    record_event(
        actor=None,
        action="account.locked_out",
        details={"email": normalised_email(email)[:254], "lock": kind, "minutes": lock.minutes_left(now)},
        request=request,
    )
    if kind == ACCOUNT:
        _mail_unlock_link(who, lock, request)
    return lock


def _mail_unlock_link(email, lock, request):
    from kipp import services_accounts  # services_accounts sends every account mail, within the per-address limit

    user = services_accounts.User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    token = signing.dumps({"email": email, "since": int(lock.started.timestamp())}, salt=UNLOCK_SALT)
    services_accounts.send_unlock_mail(
        user=user, path=reverse("kipp:unlock_account", kwargs={"token": token}), lock=lock, request=request
    )


def read_unlock_token(token, now=None):
    """(email, lock) of a genuine unlock link whose lock still holds; raises UnlockLinkInvalid otherwise."""
    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=cool_off())
        email, since = data["email"], datetime.fromtimestamp(int(data["since"]), tz=UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise UnlockLinkInvalid() from None
    lock = _active_lock(ACCOUNT, email, now or timezone.now())
    if lock is None or lock.started != since:
        raise UnlockLinkInvalid()
    return email, lock


def unlock_account(*, email, via, request=None, actor=None):
    """Open the account's lock (if any) and forget its failed sign-ins, those of axes' pairs too. Returns whether
    a lock was open."""
    from axes.utils import reset as axes_reset

    email = normalised_email(email)
    was_locked = _active_lock(ACCOUNT, email, timezone.now()) is not None
    LimitCount.objects.filter(key__in=[_lock_key(ACCOUNT, email)[:200], _failed_key(ACCOUNT, email)[:200]]).delete()
    axes_reset(username=email)
    if was_locked:
        record_event(actor=actor, action="account.unlocked", details={"email": email, "via": via}, request=request)
    return was_locked


def unlock_by_link(*, token, request=None):
    """Follow an unlock link: opens the lock it was made for, once. Returns the email; raises UnlockLinkInvalid."""
    email, lock = read_unlock_token(token)
    deleted, _ = LimitCount.objects.filter(key=_lock_key(ACCOUNT, email)[:200], window_start=lock.started).delete()
    if not deleted:  # a second click at the same moment lost the race
        raise UnlockLinkInvalid()
    unlock_account(email=email, via="link", request=request)
    record_event(actor=None, action="account.unlocked", details={"email": email, "via": "link"}, request=request)
    return email
