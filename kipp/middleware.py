import ipaddress
import logging

from django.conf import settings

from kipp import outage

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address a trusted reverse proxy put in X-Forwarded-For (when it
    is an address at all: the audit log stores it in an inet column)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database error of a request that is no bug (kipp.outage.classify): the database went away (server stopped
    or restarted, connection cut) or a statement hit a time limit (a lock held elsewhere beyond DB_LOCK_TIMEOUT, a
    statement beyond DB_STATEMENT_TIMEOUT). Answer 503 with a clear "try again" page (templates/503.html,
    Indonesian and English) and Retry-After, instead of a 500. The transaction of the request was rolled back, so
    nothing is half-written; the next request reconnects (CONN_HEALTH_CHECKS). Rendered without context
    processors: they may need the database.

    Logged for operators (kipp/outage.py): an outage once when it starts and once when it ends, with the number of
    requests refused, never per request (Django's "Service Unavailable" line per response is left out); a time
    limit or another error of a database that answers, once per request with its page and message."""

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib.auth.models import AnonymousUser
        from django.db import connections
        from django.http import HttpResponse
        from django.template import loader

        kind = outage.classify(exception)
        if kind is None:
            return None
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        if kind == outage.UNAVAILABLE:
            outage.outage.failed(exception)
        else:
            log = logger.error if kind == outage.OTHER else logger.warning
            log(
                "database %s, answered 503: %s %s: %s",
                _DESCRIPTIONS[kind],
                request.method,
                request.path,
                outage.message(exception),
            )
        # The middleware outside this one must not read the database again for this answer: a signed-in person
        # whose session could not be read is nobody for the rest of it (PrivateCacheMiddleware would ask again,
        # and its error would be a 500 logged per request). The answer is never stored by anyone.
        if hasattr(request, "user"):
            request.user = AnonymousUser()
        context = {"busy": kind != outage.UNAVAILABLE}  # a time limit: the database answers, something held it up
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        response._has_been_logged = True  # django.request's line per 5xx response: the lines above say it once
        return response


_DESCRIPTIONS = {
    outage.LOCK_TIMEOUT: "lock wait over DB_LOCK_TIMEOUT",
    outage.STATEMENT_TIMEOUT: "statement canceled (DB_STATEMENT_TIMEOUT or an operator)",
    outage.IDLE_TIMEOUT: "transaction idle over DB_IDLE_IN_TRANSACTION_TIMEOUT",
    outage.OTHER: "error",
}


class BadInputMiddleware:
    """Input that no page can use (kipp.bad_input: NUL, control characters, bytes that are not UTF-8 in the path,
    the query string, form fields, headers or cookies) is answered with 400 (the site's page, JSON under /api/)
    before anything reads it: never a 500, with or without DEBUG. Placed early in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from kipp.bad_input import bad_input_reason, bad_request_response

        reason = bad_input_reason(request)
        if reason:
            return bad_request_response(request, reason)
        return self.get_response(request)


PRIVATE_CACHE_CONTROL = "private, no-store"
_SHARED_CACHE_DIRECTIVES = {"public", "private", "no-store", "max-age", "s-maxage", "immutable"}


class PrivateCacheMiddleware:
    """Every response to a signed-in person (request.user at response time) is `Cache-Control: private, no-store`,
    whatever the view set for visitors (a public page viewed by a signed-in person is private too): a shared
    computer's browser or a proxy keeps none of it. Directives the view added that are not about who may store it
    (no-cache, must-revalidate) stay. Responses to visitors keep their caching. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import InterfaceError, OperationalError

        response = self.get_response(request)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except (OperationalError, InterfaceError):  # the database is away (an error page): private, to be safe
            signed_in = True
        if signed_in:
            make_private(response)
        return response


def make_private(response):
    kept = [
        directive.strip()
        for directive in response.get("Cache-Control", "").split(",")
        if directive.strip() and directive.split("=")[0].strip().lower() not in _SHARED_CACHE_DIRECTIVES
    ]
    response["Cache-Control"] = ", ".join([PRIVATE_CACHE_CONTROL, *kept])
    if "Expires" in response:
        del response["Expires"]
    return response
