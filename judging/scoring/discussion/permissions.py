"""Who may see and do what in a discussion. The panel of a listed entry (its judges in the round with a FINAL sheet
on it, without a conflict of interest, read when asked) sees each other's sheets with names; a judge assigned but
without a final sheet sees nothing of the others'; nobody else but organisers sees the thread: not a judge
of another entry, not a conflicted judge, never an entrant or the public."""

from judging.scoring.discussion.queries import panel_member, window_state
from judging.scoring.permissions import is_judge
from kipp.permissions import organises_competition


def can_manage_discussion(user, round_):
    """Start a round's discussion, see its list and every thread, close it early: the round's organisers."""
    return organises_competition(user, round_.competition)


def can_view_thread(user, item):
    """The round's organisers, and the judges on the entry's panel."""
    if organises_competition(user, item.discussion.round.competition):
        return True
    return is_judge(user) and panel_member(user, item)


def can_take_part(user, item):
    """Comment and revise: a judge on the panel, while the discussion window is open."""
    return is_judge(user) and window_state(item.discussion) == "open" and panel_member(user, item)


def can_view_my_discussions(user):
    return is_judge(user)
