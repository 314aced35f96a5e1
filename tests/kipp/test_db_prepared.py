"""kipp.db.execute_prepared: hot statements PREPAREd once per database session and EXECUTEd after that."""

import pytest
from django.db import connection, transaction

from kipp.db import _numbered, execute_prepared

pytestmark = pytest.mark.django_db

SQL = "SELECT %(a)s::int + %(b)s::int, %(a)s::int * 2, '100%%'"


def _prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'kipp_%%'")
        return {row[0] for row in cursor.fetchall()}


def test_placeholders_are_numbered_in_order_of_first_use():
    assert _numbered(SQL, {"b": 2, "a": 1}) == ("SELECT $1::int + $2::int, $1::int * 2, '100%'", [1, 2])
    assert _numbered("SELECT %s, %s", [7, 8]) == ("SELECT $1, $2", [7, 8])


def test_prepared_once_per_session_with_the_same_results():
    before = _prepared_names()
    for a, b in ((1, 2), (5, 6), (10, 20)):
        with connection.cursor() as cursor:
            execute_prepared(connection, cursor, SQL, {"a": a, "b": b})
            assert cursor.fetchone() == (a + b, a * 2, "100%")
    assert len(_prepared_names() - before) == 1


def test_a_rollback_keeps_the_statement_and_a_new_session_prepares_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.cursor() as cursor:
            execute_prepared(connection, cursor, "SELECT %s::int", [1])
        raise RuntimeError
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, "SELECT %s::int", [2])
        assert cursor.fetchone() == (2,)


@pytest.mark.django_db(transaction=True)
def test_a_new_session_prepares_again():
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, "SELECT %s::int + 1", [1])
    connection.close()
    with connection.cursor() as cursor:  # a new server session: the statement is not there, it is prepared again
        execute_prepared(connection, cursor, "SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)


def test_switched_off_runs_plain_text(settings):
    settings.DB_PREPARED_STATEMENTS = False
    before = _prepared_names()
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, "SELECT %s::int * 3", [3])
        assert cursor.fetchone() == (9,)
    assert _prepared_names() == before
