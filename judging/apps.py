from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Penilaian")

    def ready(self):
        from entries.permissions import register_view_rule
        from judging.demo import seed_judging
        from judging.hooks import dashboard_sections, organisation_sections
        from judging.publication.forwarding.hooks import register as forwarding_ready
        from judging.publication.hooks import register as publication_ready
        from judging.records import receivers  # noqa: F401 (connects records to publication's signals)
        from judging.records.hooks import register as records_ready
        from judging.scoring.demo_jatim import seed_jatim_round
        from judging.scoring.permissions import judge_may_view_entry
        from kipp import hooks, navigation

        navigation.register(_("Penilaian saya"), "judging:my_rounds", ["judge"], order=30)
        navigation.register(_("Babak penilaian"), "judging:round_index", ["organiser"], order=40)
        hooks.register("dashboard_sections", dashboard_sections)
        hooks.register("organisation_sections", organisation_sections)
        hooks.register_seeder("judging", seed_judging, 200)
        hooks.register_seeder("judging_jatim", seed_jatim_round, 210)
        register_view_rule(judge_may_view_entry)
        publication_ready()
        forwarding_ready()
        records_ready()
