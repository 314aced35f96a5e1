"""What innovation records add to lower layers' pages and to seed_demo; called once from JudgingConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def home_sections(request):
    return [{"template": "judging/records/_home_section.html", "context": {}, "order": 40}]


def dashboard_sections(request):
    """The innovator's records (to keep current) and the replication requests waiting for their agency's answer,
    and those their agency sent. Three queries."""
    user = request.user
    from kipp.permissions import has_confirmed_agency

    if not has_confirmed_agency(user):
        return []
    from judging.models import ReplicationRequest
    from judging.records.queries import public_records

    records = list(public_records().filter(agency_id=user.agency_id).order_by("-year", "title")[:20])
    waiting = list(
        ReplicationRequest.objects.filter(record__agency_id=user.agency_id, state="requested")
        .select_related("record", "requester_agency")
        .order_by("requested_at")[:20]
    )
    sent = list(
        ReplicationRequest.objects.filter(requester_agency_id=user.agency_id)
        .select_related("record")
        .order_by("-requested_at")[:20]
    )
    if not (records or waiting or sent):
        return []
    context = {"records": records, "waiting": waiting, "sent": sent}
    return [{"template": "judging/records/_dashboard_innovator.html", "context": context, "order": 20}]


def entry_sections(request):
    """On the entry page: a link to the entry's public record (computed by {% entry_record %})."""
    return [{"template": "judging/records/_entry_section.html", "context": {}, "order": 55}]


def register():
    from judging.records.demo import seed_records
    from judging.records.demo_past_winners import seed_past_winners
    from judging.records.past_winners import past_winner_flags
    from kipp import hooks, navigation

    hooks.register("home_sections", home_sections)
    hooks.register("dashboard_sections", dashboard_sections)
    hooks.register("entry_sections", entry_sections)
    hooks.register("past_winner_flags", past_winner_flags)
    hooks.register_seeder("records", seed_records, 400)
    hooks.register_seeder("past_winners", seed_past_winners, 450)
    navigation.register(_("Katalog inovasi"), "records:catalogue", [navigation.PUBLIC], order=60)
