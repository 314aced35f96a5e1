from django import template

from kipp.permissions import is_agency_innovator

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_publication(context, entry):
    """For the entry page: the entry's outcomes in visible announcements, its presentation slots (shown only after the
    previous round's announcement is public) and, where released, anonymous feedback for the agency's innovators."""
    from judging.publication.queries import entry_public_outcomes, entry_slots
    from judging.publication.services import entry_feedback

    request = context.get("request")
    user = getattr(request, "user", None)
    outcomes = entry_public_outcomes([entry.pk]).get(entry.pk, [])
    member = is_agency_innovator(user, entry.agency_id)
    feedback = []
    if member:
        for row in outcomes:
            announcement = row.announcement
            if announcement.feedback_released_at:
                feedback.append({"announcement": announcement, "data": entry_feedback(entry, announcement.round)})
    from judging.records.queries import final_selected_rows, public_profile

    return {
        "outcomes": outcomes,
        "slots": entry_slots([entry.pk]).get(entry.pk, []),
        "feedback": feedback,
        "member": member,
        "profile": public_profile(entry) if member else None,
        "has_record": final_selected_rows().filter(entry=entry).exists() if outcomes else False,
    }
