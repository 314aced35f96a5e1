"""Server-side prepared statements for the few hot statements of the portal's busiest moments.

PostgreSQL plans every statement it receives; for the short lookups of a judge's submit, planning takes several
times as long as running them (EXPLAIN ANALYZE on the benchmark data: 0.36 ms planning, 0.10 ms execution for the
submit's lock). psycopg2 sends every statement as text, so nothing is reused. `execute_prepared` PREPAREs a
statement once per database connection and EXECUTEs it after that: PostgreSQL keeps the plan (a generic plan after
five executions) and re-plans by itself when a table it reads changes.

Prepared statements live in the server session: behind a pooler in transaction mode (PgBouncer and the like) a
later transaction may run on another server session. Set DB_PREPARED_STATEMENTS=0 there (kipp/settings.py) and
the same statements run as plain text. A PREPARE is not undone by a rollback, so the bookkeeping below stays true.
"""

import hashlib
import re

from django.conf import settings

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def _numbered(sql, params):
    """The statement with $1, $2, ... for psycopg2's %s / %(name)s placeholders, and the values in that order."""
    order = []
    positional = iter(range(len(params))) if isinstance(params, list | tuple) else None

    def number(match):
        if match.group(0) == "%%":
            return "%"
        key = match.group(1) if match.group(1) is not None else next(positional)
        if key not in order:
            order.append(key)
        return f"${order.index(key) + 1}"

    text = _PLACEHOLDER.sub(number, sql)
    return text, [params[key] for key in order]


def execute_prepared(connection, cursor, sql, params):
    """cursor.execute(sql, params), as a prepared statement of this connection when settings allow it."""
    if not getattr(settings, "DB_PREPARED_STATEMENTS", True):
        cursor.execute(sql, params)
        return
    raw = connection.connection
    state = getattr(connection, "_kipp_prepared", None)
    if state is None or state[0] is not raw:
        state = (raw, set())  # a new server session: nothing is prepared in it yet
        connection._kipp_prepared = state
    text, values = _numbered(sql, params)
    name = "kipp_" + hashlib.sha256(text.encode()).hexdigest()[:20]
    if name not in state[1]:
        cursor.execute(f"PREPARE {name} AS {text}")
        state[1].add(name)
    if values:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(values))})", values)
    else:
        cursor.execute(f"EXECUTE {name}")
