from django import template

from judging.scoring.quotas import rule_text

register = template.Library()


@register.filter
def selection_rule_text(mark):
    """A selection rule's mark (row["rule"]: in:<rule> / out:<rule>) in words of the active language."""
    return rule_text(mark)


@register.simple_tag
def ranking_table_rows(rows, round_):
    """The ranking table's rows (judging/scoring/ranking_table.py: written in Python, the markup of a template)."""
    from judging.scoring.ranking_table import ranking_rows_html

    return ranking_rows_html(rows, round_)
