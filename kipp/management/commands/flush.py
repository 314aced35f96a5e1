"""Django's flush, keeping the reference data that the migrations load: Indonesia's areas (kipp.Province,
kipp.Region, kecamatan and desa/kelurahan; kipp/areas/loading.py). After a flush the database is as after
`migrate` (Django's own flush empties every table, including data added by migrations).

Transactional tests (live_server, transaction=True) end with this flush: keeping the 91,599 area rows saves
reloading them after every such test."""

import contextlib
from importlib import import_module

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections


def reference_tables():
    from kipp.models import District, Province, Region, Village

    return {model._meta.db_table for model in (Province, Region, District, Village)}


class Command(flush.Command):
    help = flush.Command.help + " Keeps Indonesia's areas (reference data loaded by the migrations)."

    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        for app_config in apps.get_app_configs():  # as Django's flush: each app's management module's receivers
            with contextlib.suppress(ImportError):
                import_module(".management", app_config.name)
        kept = reference_tables()
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in kept
        ]
        sql_list = connection.ops.sql_flush(
            no_style(),
            tables,
            reset_sequences=options.get("reset_sequences", True),
            allow_cascade=options.get("allow_cascade", False),
        )
        if options["interactive"]:
            confirm = input(
                f'This empties every table of the database "{connection.settings_dict["NAME"]}" except the areas '
                "(provinces, regions, kecamatan, desa/kelurahan).\nType 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
        try:
            connection.ops.execute_sql_flush(sql_list)
        except Exception as exc:
            raise CommandError(f"Database {connection.settings_dict['NAME']} couldn't be flushed: {exc}") from exc
        if sql_list and not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], database)
