from django import template

from kipp.permissions import is_agency_innovator, is_organiser_of

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_forwarding(context, entry):
    """For the entry page (forwarding upward): the nomination by which the entry arrived in its competition (the
    read-only provenance: lower competition, rank, total, announcement), with the text that found no section,
    shown to the agency's innovators and the competition's organisers; and, on a lower entry, where it was
    nominated (for the same people). The page itself decides who may open the entry."""
    from judging.publication.forwarding.queries import nomination_of, nominations_from

    request = context.get("request")
    user = getattr(request, "user", None)
    insider = is_agency_innovator(user, entry.agency_id) or is_organiser_of(user, entry.competition.organisation_id)
    return {
        "nomination": nomination_of(entry),
        "show_unmapped": insider,
        "nominated": nominations_from(entry) if insider else [],
    }
