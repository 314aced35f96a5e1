"""What judging shows on kipp's pages (kipp.hooks): the dashboard sections, and an organisation's home
(/o/<slug>/): its published announcements, its innovation records and their statistics, read by the same public
queries as the portal's own lists (publication's current_public_announcements, records' catalogue and statistics)."""

from judging.models import Round
from judging.scoring.permissions import is_judge, is_organiser
from judging.scoring.queries import judge_rounds
from kipp.permissions import organised_q


def dashboard_sections(request):
    user = request.user
    if is_judge(user):
        return [
            {
                "template": "judging/scoring/_dashboard_judge.html",
                "context": {"rounds": judge_rounds(user)},
                "order": 20,
            }
        ]
    if is_organiser(user):
        rounds = (
            Round.objects.select_related("competition")
            .filter(organised_q(user, "competition__organisation_id"))
            .exclude(state="published")
            .order_by("-competition__year", "order")[:10]
        )
        return [
            {"template": "judging/scoring/_dashboard_organiser.html", "context": {"rounds": list(rounds)}, "order": 40}
        ]
    return []


ORGANISATION_ANNOUNCEMENTS = 20
ORGANISATION_RECORDS = 12


def organisation_sections(request, organisation):
    """Sections of kipp's organisation home (kipp.hooks "organisation_sections"); a fixed number of queries."""
    from judging.publication.queries import current_public_announcements
    from judging.records import queries as records_queries
    from judging.records.statistics import svg_bar_chart

    announcements = list(
        current_public_announcements().filter(round__competition__organisation=organisation)[
            :ORGANISATION_ANNOUNCEMENTS
        ]
    )
    records = records_queries.catalogue({"organisation": organisation.slug})
    stats = records_queries.statistics(organisation=organisation)
    return [
        {
            "template": "judging/publication/public/_organisation_section.html",
            "context": {"announcements": announcements, "organisation": organisation},
            "order": 30,
        },
        {
            "template": "judging/records/_organisation_section.html",
            "context": {
                "organisation": organisation,
                "records": list(records[:ORGANISATION_RECORDS]),
                "count": records.count(),
                "stats": stats,
                "year_chart": svg_bar_chart(stats["by_year"]),
                "category_chart": svg_bar_chart(stats["by_category"]),
            },
            "order": 40,
        },
    ]
