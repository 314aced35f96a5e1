"""Django's database sessions (SESSION_ENGINE = "kipp.sessions"), with the lookup that every signed-in request
makes run as a prepared statement (kipp/db.py). Everything else is Django's own database backend."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from kipp.db import execute_prepared


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        fields = [field.attname for field in model._meta.concrete_fields]
        alias = router.db_for_read(model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(quote(f.column) for f in model._meta.concrete_fields)} "  # noqa: S608 - model meta
            f"FROM {quote(model._meta.db_table)} WHERE session_key = %s AND expire_date > %s"
        )
        with connection.cursor() as cursor:
            execute_prepared(connection, cursor, sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model.from_db(alias, fields, row)
