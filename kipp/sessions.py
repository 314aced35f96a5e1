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


def end_sessions_of(user, keep=None):
    """Sign `user` out everywhere: delete every unexpired session that belongs to them (all but the session key
    `keep`). For a reset of their second factor, where a session left open on a stolen device must not go on (nor
    enrol a new authenticator without the password). Returns how many sessions ended."""
    from django.contrib.auth import SESSION_KEY

    store = SessionStore()
    ended = []
    for key, data in store.model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    ):
        if key != keep and str(store.decode(data).get(SESSION_KEY)) == str(user.pk):
            ended.append(key)
    store.model.objects.filter(session_key__in=ended).delete()
    return len(ended)
