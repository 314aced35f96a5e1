"""Named predicates for judging, used by views, templates and tests.

Sealed scoring: a judge sees only their own sheets; nobody but organisers sees sheets or rankings before a round
is published; entrants (innovators, verifiers) never see judges' identities or any sheet.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from judging.scoring.enums import RoundState
from kipp.permissions import (  # the base predicates (active; a superuser passes), by name
    is_judge,
    is_organiser,
    organises_competition,
)
from kipp.scopes import organiser_scope


def organiser_required(view):
    """View decorator for organiser pages: anonymous visitors go to the login page; anyone else who is not an
    organiser gets 403 with a clear message (judging/scoring/refused.html). The view runs inside the organiser's
    scope (kipp/scopes.py): competitions, entries, rounds and what hangs from them are read only from the
    organisations they organise, so another organisation's object is not found (404)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_organiser(request.user):
            message = _("Halaman ini hanya untuk penyelenggara.")
            return render(request, "judging/scoring/refused.html", {"message": message}, status=403)
        with organiser_scope(request.user):
            return view(request, *args, **kwargs)

    return login_required(wrapper)


def organises_round(user, round_):
    """An organiser of the round's competition's organisation (the base of every organiser predicate on a round)."""
    return organises_competition(user, round_.competition)


def can_manage_round(user, round_):
    return organises_round(user, round_)


def can_approve_announcement(user, announcement):
    """Approve and publish an announcement awaiting approval: an organiser who neither prepared nor changed it (the
    two-person rule over its editor_ids; the service enforces it, the database too, and the page shows the button
    only when true)."""
    return bool(
        organises_round(user, announcement.round)
        and announcement.state == "awaiting"
        and announcement.prepared_by_id is not None
        and announcement.prepared_by_id != user.pk
        and user.pk not in announcement.editor_ids
    )


def can_view_round_dashboard(user, round_):
    """The ranking with totals, spread and outlier flags, and per-judge progress: the round's organisers only."""
    return organises_round(user, round_)


def can_view_ranking(user, round_):
    return organises_round(user, round_)


def can_export(user, round_):
    return organises_round(user, round_)


def can_view_queue(user):
    return is_judge(user)


def is_round_judge(user, round_):
    """A judge of the round: added to its judges, or given one of its entries. One query."""
    if not is_judge(user):
        return False
    from django.db.models import Exists, OuterRef

    from judging.models import Assignment, Round, RoundJudge

    return (
        Round.objects.filter(pk=round_.pk)
        .filter(
            Exists(RoundJudge.objects.filter(round_id=OuterRef("pk"), judge_id=user.pk))
            | Exists(Assignment.objects.filter(round_id=OuterRef("pk"), judge_id=user.pk))
        )
        .exists()
    )


def can_view_round_pages(user, round_):
    """The pages of one round that judges reach (queue, schedule, field verification list): organisers, and the
    round's own judges. A judge of another round opens none of them (403 with a message)."""
    return organises_round(user, round_) or is_round_judge(user, round_)


def can_open_sheet(user, assignment, *, conflicted):
    """The judge of the assignment, without a conflict of interest. The round's organisers may look at any sheet."""
    if is_judge(user) and assignment.judge_id == user.pk and not conflicted:
        return True
    return is_organiser(user) and organises_round(user, assignment.round)  # no query for a judge on their own sheet


def can_score(user, assignment, *, conflicted):
    """Save or submit: the assigned judge, without a conflict, while the round is open."""
    return (
        is_judge(user)
        and assignment.judge_id == user.pk
        and not conflicted
        and assignment.round.state == RoundState.OPEN
    )


def can_unlock_sheet(user, sheet):
    return organises_round(user, sheet.assignment.round)


def can_declare_conflict(user, assignment):
    """The assigned judge, while the round is being set up or scored (a closed round's ranking stays frozen)."""
    return is_judge(user) and assignment.judge_id == user.pk and assignment.round.state in ("setup", "open")


def judge_may_view_entry(user, entry):
    """Registered with entries.permissions.register_view_rule: a judge assigned to the entry in any round, without
    a conflict of interest, may open the entry (proposal and attachments)."""
    if not is_judge(user):
        return False
    from judging.models import Assignment
    from judging.scoring.queries import recused_q

    return (
        Assignment.objects.filter(judge=user, entry=entry).annotate(recused=recused_q()).filter(recused=False).exists()
    )
