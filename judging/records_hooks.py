"""What innovation records add to lower layers' pages and to seed_demo; called once from JudgingConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def home_sections(request):
    return [{"template": "judging/records/_home_section.html", "context": {}, "order": 40}]


def register():
    from judging.records_demo import seed_records
    from kipp import hooks, navigation

    hooks.register("home_sections", home_sections)
    hooks.register_seeder("records", seed_records, 400)
    navigation.register(
        _("Katalog inovasi"), "records:catalogue", ["innovator", "verifier", "organiser", "judge"], order=60
    )
