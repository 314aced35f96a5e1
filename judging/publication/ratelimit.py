"""Rate limit of anonymous objections: at most settings.ANONYMOUS_OBJECTIONS_PER_HOUR per client address and
announcement within an hour (0: no limit). Counted in Django's cache (settings.CACHES: local memory on one machine,
Redis when several app servers share the count), so that it works whichever server a request lands on.

The window is fixed: it starts with the first counted objection and the counter expires WINDOW_SECONDS later
(cache.add sets the timeout; incr keeps it, in local memory and in Redis). The count is taken with an atomic incr
just before the objection is stored, so two simultaneous requests cannot both take the last place. The client
address comes from kipp.middleware.client_ip (REMOTE_ADDR, X-Forwarded-For only with TRUSTED_PROXY_COUNT)."""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def objection_limit():
    return getattr(settings, "ANONYMOUS_OBJECTIONS_PER_HOUR", 0) or 0


def objection_key(announcement, client_address):
    return f"judging:objection-rate:{announcement.pk}:{client_address}"


def take_objection_allowance(announcement, client_address):
    """Count one anonymous objection from client_address on announcement; False when it is over the limit (the
    caller stores nothing then). Without an address (a command, a test without REMOTE_ADDR) nothing is counted."""
    limit = objection_limit()
    if limit <= 0 or not client_address:
        return True
    key = objection_key(announcement, client_address)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr (or a dummy cache): this is the first of a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit
