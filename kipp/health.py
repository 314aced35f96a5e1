"""Health endpoints for a load balancer or an orchestrator.

- `/health/` (liveness): 200 "ok" when the process answers at all. It reads no database, no session, no cache:
  a database outage must not make anyone restart healthy app servers.
- `/health/ready/` (readiness): the database answers `SELECT 1` within READINESS_DB_SECONDS (after a connection
  opened within DB_CONNECT_TIMEOUT) and the cache keeps a value; 200, or 503 with a JSON body naming what failed.

HealthCheckMiddleware answers both paths before the session, authentication, CSRF and the second-factor check
(kipp/settings.py MIDDLEWARE, right after BadInputMiddleware, whose checks still apply); the answers are never
cached. kipp/urls.py routes the same views, so they have names (`kipp:health`, `kipp:health_ready`).
SECURE_REDIRECT_EXEMPT lets a load balancer ask over plain HTTP.
"""

import logging
import os
import secrets
import threading

from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from kipp import outage

logger = logging.getLogger(__name__)

LIVENESS_ROUTE = "health/"
READINESS_ROUTE = "health/ready/"
READINESS_DB_SECONDS = 2


def _answer(response):
    add_never_cache_headers(response)
    return response


@csrf_exempt  # answered before CsrfViewMiddleware anyway; GET and HEAD only
def liveness(request):
    if request.method not in ("GET", "HEAD"):
        return _answer(HttpResponseNotAllowed(["GET", "HEAD"]))
    return _answer(HttpResponse("ok", content_type="text/plain; charset=utf-8"))


@csrf_exempt
def readiness(request):
    if request.method not in ("GET", "HEAD"):
        return _answer(HttpResponseNotAllowed(["GET", "HEAD"]))
    checks = {"database": _database_answers(), "cache": _cache_keeps_a_value()}
    failed = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: "ok" if ok else "failed" for name, ok in checks.items()},
        "failed": failed,
    }
    response = JsonResponse(body, status=503 if failed else 200)
    response._has_been_logged = True  # not django.request's line per probe: the failure itself is logged once
    return _answer(response)


def _database_answers():
    connection = connections["default"]
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {READINESS_DB_SECONDS * 1000}")
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        connection.close_if_unusable_or_obsolete()
        if outage.classify(error) == outage.UNAVAILABLE:
            outage.outage.failed(error, refused=False)
        else:
            logger.warning("readiness: the database did not answer SELECT 1: %s", outage.message(error))
        return False


_cache_failing = threading.Event()  # per process: the cache's failure is logged when it starts and when it ends


def _cache_keeps_a_value():
    key = f"kipp-health-{os.getpid()}-{threading.get_ident()}"  # one per thread: no other check overwrites it
    token = secrets.token_hex(8)
    problem = None
    try:
        cache.set(key, token, 30)
        if cache.get(key) != token:
            problem = "it did not keep a value"
    except Exception as error:  # noqa: BLE001 - any cache backend's failure means "not ready"
        problem = str(error)
    if problem and not _cache_failing.is_set():
        _cache_failing.set()
        logger.warning("readiness: the cache failed: %s", problem)
    elif not problem and _cache_failing.is_set():
        _cache_failing.clear()
        logger.warning("readiness: the cache works again")
    return problem is None


class HealthCheckMiddleware:
    """Answers /health/ and /health/ready/ before anything that may need the database or a session."""

    VIEWS = {"/" + LIVENESS_ROUTE: liveness, "/" + READINESS_ROUTE: readiness}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
