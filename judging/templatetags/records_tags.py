from django import template

register = template.Library()


@register.simple_tag
def entry_record(entry):
    """The public innovation record of an entry (records_queries.public_records), or None."""
    from judging.records.queries import public_records

    return (
        public_records()
        .filter(history__entry=entry)
        .only("slug", "title", "last_updated_at", "is_running", "agency_id")
        .first()
    )


@register.simple_tag(takes_context=True)
def may_update_record(context, record):
    """can_update_record for the signed-in person, for a template that has a record but no view flag."""
    from judging.records.permissions import can_update_record

    request = context.get("request")
    return bool(request is not None and can_update_record(request.user, record))
