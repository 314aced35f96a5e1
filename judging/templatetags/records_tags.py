from django import template

register = template.Library()


@register.simple_tag
def entry_record(entry):
    """The public innovation record of an entry (records_queries.public_records), or None."""
    from judging.records_queries import public_records

    return public_records().filter(history__entry=entry).only("slug", "title", "last_updated_at", "is_running").first()
