"""What a database error of a request is, and the log lines operators read when the database goes away.

`classify(error)` tells a database that is gone (the connection refused, cut or terminated: an outage) from a
time limit that a statement hit (kipp/settings.py DB_LOCK_TIMEOUT, DB_STATEMENT_TIMEOUT,
DB_IDLE_IN_TRANSACTION_TIMEOUT) and from other errors of a database that answers (a deadlock, a full disk).

An outage is logged twice per process, whatever the number of requests it refuses: once when it starts
("database unavailable: <the error>", ERROR) and once when a connection opens again ("database back after 12.3 s;
57 requests refused meanwhile", WARNING); nothing in between. The state is per process (each gunicorn worker logs
its own outage) and thread-safe (threaded workers). A time limit is not an outage: each one is logged as what it
is, with the page and the statement's message (kipp.middleware.DatabaseUnavailableMiddleware).
"""

import logging
import threading
import time

from django.db import Error as DjangoDatabaseError

logger = logging.getLogger(__name__)

UNAVAILABLE = "unavailable"
LOCK_TIMEOUT = "lock_timeout"
STATEMENT_TIMEOUT = "statement_timeout"
IDLE_TIMEOUT = "idle_in_transaction_timeout"
OTHER = "error"

# SQLSTATEs of a server that cannot serve this session: connection exceptions (class 08), shutdown, crash,
# "the database system is starting up", too many connections.
_GONE_CODES = {"57P01", "57P02", "57P03", "53300"}
_TIMEOUT_CODES = {"55P03": LOCK_TIMEOUT, "57014": STATEMENT_TIMEOUT, "25P03": IDLE_TIMEOUT}


def classify(error):
    """One of the kinds above for an exception of Django's database layer (or of the driver: psycopg 3, which
    Django uses here, or psycopg2), None for anything that is no database error, or one that is a bug rather than
    a state of the database (a constraint, bad SQL)."""
    from django.db import InterfaceError, OperationalError

    cause = _driver_error(error)
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)  # psycopg 3, psycopg2
    if code in _TIMEOUT_CODES:
        return _TIMEOUT_CODES[code]
    if not isinstance(error, OperationalError | InterfaceError):
        return None
    if code is None or code.startswith("08") or code in _GONE_CODES:
        return UNAVAILABLE  # libpq gives no SQLSTATE when it cannot reach the server or the connection broke
    return OTHER


def _driver_error(error):
    """Django re-raises the driver's exception as its own, `from` the original."""
    return error.__cause__ if isinstance(error, DjangoDatabaseError) and error.__cause__ is not None else error


def message(error):
    """The driver's message on one line (libpq's are several, with tabs), with its context (which lock)."""
    cause = _driver_error(error)
    text = " ".join(str(cause).split()) or type(cause).__name__
    diag = getattr(cause, "diag", None)
    context = " ".join((getattr(diag, "context", None) or "").split())
    return f"{text} ({context})" if context and context not in text else text


class Outage:
    """The current outage of this process: since when, and how many requests it refused."""

    def __init__(self):
        self._lock = threading.Lock()
        self._since = None
        self._refused = 0

    @property
    def ongoing(self):
        return self._since is not None

    def failed(self, error, *, refused=True):
        """The database could not be reached (a request refused with the 503 page, or a readiness check)."""
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.monotonic()
                self._refused = 0
            if refused:
                self._refused += 1
        if first:
            logger.error("database unavailable: %s", message(error))

    def recovered(self):
        """A connection opened: the outage, if there was one, is over."""
        if self._since is None:  # the usual case, without taking the lock
            return
        with self._lock:
            if self._since is None:
                return
            seconds = time.monotonic() - self._since
            refused = self._refused
            self._since = None
            self._refused = 0
        logger.warning(
            "database back after %.1f s; %d request%s refused meanwhile", seconds, refused, "" if refused == 1 else "s"
        )


outage = Outage()


def connection_opened(sender, connection, **kwargs):
    """Receiver of django.db.backends.signals.connection_created (connected in kipp/apps.py)."""
    outage.recovered()
