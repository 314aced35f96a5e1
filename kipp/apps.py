from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KippConfig(AppConfig):
    name = "kipp"
    verbose_name = _("Inti KIPP")

    def ready(self):
        from django.db.backends.signals import connection_created

        from kipp import checks, signals  # noqa: F401  (system checks; audit log entries for logins)
        from kipp.demo import seed_core
        from kipp.demo_jatim import seed_jatim
        from kipp.hooks import register_seeder
        from kipp.navigation import register
        from kipp.outage import connection_opened

        register_seeder("kipp", seed_core, 0)
        register_seeder("kipp_jatim", seed_jatim, 10)
        connection_created.connect(connection_opened, dispatch_uid="kipp.outage")  # "database back" (kipp/outage.py)

        register(_("Dasbor"), "kipp:dashboard", ["innovator", "verifier", "organiser", "judge"], order=0)
        register(_("Anggota baru"), "kipp:pending_members", ["innovator", "verifier", "organiser"], order=70)
        register(_("Kompetisi"), "kipp:competitions", ["organiser"], order=80)
        register(_("Undang pengguna"), "kipp:invite", ["organiser"], order=90)
        register(_("Catatan audit"), "kipp:audit_log", ["organiser"], order=95)

        from kipp.audit import dashboard_sections
        from kipp.hooks import register as register_hook

        register_hook("dashboard_sections", dashboard_sections)
