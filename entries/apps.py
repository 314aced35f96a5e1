from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntriesConfig(AppConfig):
    name = "entries"
    verbose_name = _("Proposal inovasi")

    def ready(self):
        from entries.dashboard import dashboard_sections
        from entries.demo import seed_entries
        from entries.demo.jatim import seed_jatim_entries
        from kipp import hooks, navigation

        hooks.register("dashboard_sections", dashboard_sections)
        hooks.register_seeder("entries", seed_entries, 100)
        hooks.register_seeder("entries_jatim", seed_jatim_entries, 110)
        navigation.register(_("Proposal saya"), "entries:my", ["innovator"], order=20)
        navigation.register(_("Antrean verifikasi"), "entries:verify_queue", ["verifier"], order=20)
        navigation.register(_("Seleksi administrasi"), "entries:selection", ["organiser"], order=20)
        navigation.register(_("Semua proposal"), "entries:organiser_list", ["organiser"], order=21)
