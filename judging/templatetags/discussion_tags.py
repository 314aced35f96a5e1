"""The discussion phase's pieces on other pages: `{% load discussion_tags %}`.

- `{% discussion_card round %}`: the organiser's card on the round dashboard (two queries);
- `{% open_discussions_link request.user %}`: the judge's link to the discussions open for them (one query; nothing
  shown when none is open)."""

from django import template

from judging.scoring.discussion.permissions import can_view_my_discussions
from judging.scoring.discussion.queries import changed_totals, open_item_count, round_discussion

register = template.Library()


@register.inclusion_tag("judging/scoring/discussion/_round_card.html")
def discussion_card(round_):
    discussion = round_discussion(round_)
    return {
        "round": round_,
        "discussion": discussion,
        "items": discussion.items.count() if discussion else 0,
        "changed": changed_totals([round_]).get(round_.pk, 0) if discussion else 0,
    }


@register.inclusion_tag("judging/scoring/discussion/_judge_link.html")
def open_discussions_link(user):
    return {"count": open_item_count(user) if can_view_my_discussions(user) else 0}
