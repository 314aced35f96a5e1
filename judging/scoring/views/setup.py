"""Organiser: a round's setup page and the one POST endpoint of its forms (round_action). A success redirects with
a message (POST/redirect/GET); rejected input shows the page again with the form as typed (400); a refusal that does
not concern the input (the round's state) redirects with the message. The handlers are in setup_actions.py."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from judging.models import Assignment, Conflict, RoundEntry
from judging.scoring import forms, permissions, queries, services
from judging.scoring.conflicts import conflict_applies_q
from judging.scoring.enums import RoundState
from judging.scoring.views.common import round_for
from judging.scoring.views.setup_actions import HANDLERS, Rejected, form_errors_text
from kipp.errors import PortalError, add_message

# Where a rejected form sits on the setup page (the heading ids of templates/judging/scoring/round_setup.html).
REJECTED_SECTIONS = {
    "settings_form": "settings-h",
    "criterion_form": "criteria-h",
    "criterion_edit": "criteria-h",
    "judges_form": "judges-h",
    "assign_form": "assign-h",
    "entry_form": "entries-h",
    "conflict_form": "conflicts-h",
    "rules_formset": "rules-h",
}


# The actions that change who and what a round scores, or how: refused in a closed or published round (the services
# refuse them too, under the round's lock; this answers before the form is read).
FROZEN_WHEN_CLOSED = {
    "criterion",
    "criterion-delete",
    "judges",
    "assign",
    "auto-assign",
    "conflict",
    "entry",
    "replace",
    "selection-rules",
}


def _setup_context(request, round_, rejected=None):
    """The setup page's context; `rejected` (a Rejected) puts its bound form, with the errors, in its place."""
    criteria = list(round_.criteria.prefetch_related("bands").order_by("order", "id"))
    edited = rejected.form if rejected is not None and rejected.name == "criterion_edit" else None
    for criterion in criteria:
        # The hand-written edit form of each criterion reads its values (and, when rejected, errors) from here.
        if edited is not None and edited.instance.pk == criterion.pk:
            criterion.edit_form = edited
        else:
            criterion.edit_form = forms.CriterionForm(instance=criterion)
    judges = queries.judge_progress(round_)
    conflict_list = list(
        Conflict.objects.filter(conflict_applies_q(round_))
        .select_related("judge", "entry")
        .order_by("entry__code", "judge__full_name")
    )
    context = {
        "round": round_,
        "criteria": criteria,
        "judges": judges,
        "entry_count": RoundEntry.objects.filter(round=round_).count(),
        "assignment_count": Assignment.objects.filter(round=round_).count(),
        "conflicts": conflict_list,
        "rubric_editable": services.rubric_editable(round_),
        "round_changeable": round_.state not in (RoundState.CLOSED, RoundState.PUBLISHED),
        "settings_form": forms.RoundSettingsForm(instance=round_) if round_.state == RoundState.SETUP else None,
        "criterion_form": forms.CriterionForm(prefix="new"),
        "judges_form": forms.JudgesForm(round_=round_),
        "assign_form": forms.AssignForm(round_=round_),
        "conflict_form": forms.ConflictForm(round_=round_),
        "entry_form": forms.AddEntryForm(),
        "reason_form": forms.ReasonForm(),
        "rules_formset": forms.selection_rules_formset(round_),
    }
    if rejected is not None:
        if rejected.name in context:
            context[rejected.name] = rejected.form
        context["rejected_section"] = REJECTED_SECTIONS.get(rejected.name, "")
    return context


@permissions.organiser_required
def round_setup(request, competition, round_slug):
    round_ = round_for(competition, round_slug)
    return render(request, "judging/scoring/round_setup.html", _setup_context(request, round_))


def _back_to_setup(round_):
    return redirect("judging:round_setup", competition=round_.competition.slug, round_slug=round_.slug)


@require_POST
@permissions.organiser_required
def round_action(request, competition, round_slug, action):
    """Every organiser write on a round's setup page: one service call each (HANDLERS)."""
    round_ = round_for(competition, round_slug)
    handler = HANDLERS.get(action)
    if handler is None:
        raise Http404
    to_dashboard = request.POST.get("next") == "dashboard"
    try:
        if action in FROZEN_WHEN_CLOSED:
            # whatever the form carries: a closed round's message, not the errors of a form it no longer shows
            services.require_round_not_closed(round_)
        result = handler(request, round_)
    except Rejected as rejected:
        if not to_dashboard:
            round_.refresh_from_db()  # a bound ModelForm has copied the rejected values onto its instance
            context = _setup_context(request, round_, rejected)
            return render(request, "judging/scoring/round_setup.html", context, status=400)
        messages.error(request, form_errors_text(rejected.form))
        result = None
    except PortalError as error:
        add_message(request, error)
        result = None
    if isinstance(result, HttpResponse):
        return result  # a page of its own (the close confirmation)
    if result is not None:
        messages.success(request, result)
    if to_dashboard:
        return redirect("judging:round_dashboard", competition=round_.competition.slug, round_slug=round_.slug)
    return _back_to_setup(round_)
