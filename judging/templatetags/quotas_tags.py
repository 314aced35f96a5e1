from django import template

from judging.scoring.quotas import rule_text

register = template.Library()


@register.filter
def selection_rule_text(mark):
    """A selection rule's mark (row["rule"]: in:<rule> / out:<rule>) in words of the active language."""
    return rule_text(mark)
