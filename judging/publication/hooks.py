"""What publication shows on lower layers' pages (kipp.hooks): the home page's announcement list, the innovator's
dashboard (outcomes and presentation slots) and the entry page ("entry_sections": the template computes its data
for the `entry` of the entry page through the {% entry_publication %} tag). All go through visible_announcements."""

from judging.publication.queries import (
    current_public_announcements,
    entry_public_outcomes,
    entry_slots,
    final_results_public_at,
)
from kipp.permissions import has_confirmed_agency, is_judge


def home_sections(request):
    announcements = list(current_public_announcements()[:10])
    return [
        {
            "template": "judging/publication/public/_home_section.html",
            "context": {"announcements": announcements},
            "order": 30,
        }
    ]


def dashboard_sections(request):
    """A judge's field and presentation rounds, and a confirmed innovator's outcomes and slots: both for a person
    who is both."""
    user = request.user
    sections = _judge_sections(user) if is_judge(user) else []
    return sections + _innovator_sections(user)


def _innovator_sections(user):
    if not has_confirmed_agency(user):
        return []
    from entries.models import Entry

    entries = list(Entry.objects.filter(agency_id=user.agency_id).exclude(status="draft").order_by("code"))
    if not entries:
        return []
    ids = [e.pk for e in entries]
    outcomes = entry_public_outcomes(ids)
    slots = entry_slots(ids)
    items = [
        {"entry": e, "outcomes": outcomes.get(e.pk, []), "slots": slots.get(e.pk, [])}
        for e in entries
        if outcomes.get(e.pk) or slots.get(e.pk)
    ]
    if not items:
        return []
    return [
        {"template": "judging/publication/public/_dashboard_innovator.html", "context": {"items": items}, "order": 15}
    ]


def _judge_sections(user):
    """Field rounds in which the judge verifies entries, and presentation schedules of the judge's rounds."""
    from judging.models import Round

    rounds = list(
        Round.objects.filter(assignments__judge=user, state="open", kind__in=["field", "presentation"])
        .select_related("competition")
        .distinct()
        .order_by("order")
    )
    if not rounds:
        return []
    return [
        {"template": "judging/publication/public/_dashboard_judge.html", "context": {"rounds": rounds}, "order": 25}
    ]


def entry_badges(entries):
    """{entry pk: "Top 30: Terpilih"}: each entry's latest visible outcome, for the badge of the innovator's list."""
    outcomes = entry_public_outcomes([entry.pk for entry in entries])
    return {pk: f"{rows[0].announcement.title}: {rows[0].get_outcome_display()}" for pk, rows in outcomes.items()}


def entry_sections(request):
    return [{"template": "judging/publication/public/_entry_section.html", "context": {}, "order": 50}]


def public_rounds(round_ids):
    """{round pk: True} for the rounds among `round_ids` with a visible announcement (kipp hook "public_rounds")."""
    from judging.publication.queries import visible_announcements

    ids = visible_announcements().filter(round_id__in=list(round_ids)).values_list("round_id", flat=True)
    return dict.fromkeys(ids, True)


def register():
    """Called once from JudgingConfig.ready()."""
    from django.utils.translation import gettext_lazy as _

    from judging.publication.demo import seed_publication
    from kipp import hooks, navigation

    hooks.register("home_sections", home_sections)
    hooks.register("dashboard_sections", dashboard_sections)
    hooks.register("entry_sections", entry_sections)
    hooks.register("entry_badges", entry_badges)
    hooks.register("final_results_public", final_results_public_at)
    hooks.register("public_rounds", public_rounds)
    hooks.register_seeder("publication", seed_publication, 300)
    navigation.register(_("Pengumuman"), "judging:announcement_index", ["organiser"], order=45)
