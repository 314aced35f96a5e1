"""Django's PostgreSQL backend for the embedded server (kipp.embedded_db), used only when DATABASE_URL is unset.

A new connection refused because the embedded server is not running (stopped with `make db-stop`, crashed,
killed) starts the server again (embedded_db.revive) and connects once more, so the portal serves again without
being restarted. A server given by DATABASE_URL is never started by us: that one uses Django's own backend.
"""

from django.conf import settings
from django.db.backends.postgresql import base

from kipp import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError as error:
            if not embedded_db.revive(settings.BASE_DIR, error):
                raise
        return super().get_new_connection(conn_params)
