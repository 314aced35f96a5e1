"""Pages of the discussion phase: the organiser's list of a round (start, close early), the judge's list, and the
thread of one listed entry (the panel's sheets with names, comments, the revision form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from judging.models import DiscussionEntry
from judging.scoring.discussion import forms, permissions, queries, services
from judging.scoring.permissions import organiser_required
from judging.scoring.queries import round_criteria, round_ranking
from judging.scoring.services.errors import JudgingError, StaleSheetError
from judging.scoring.views.common import refuse, round_for
from kipp.errors import error_text
from kipp.numbers import total_text


@organiser_required
def round_discussion(request, competition, round_slug, *, start_form=None, status=200):
    round_ = round_for(competition, round_slug)
    discussion = queries.round_discussion(round_)
    context = {
        "round": round_,
        "discussion": discussion,
        "state": queries.window_state(discussion) if discussion else None,
        "items": list(queries.round_items(discussion)) if discussion else [],
        "changed": queries.changed_totals([round_]).get(round_.pk, 0) if discussion else 0,
        "start_form": start_form or forms.DiscussionStartForm(round_=round_),
    }
    if discussion:
        context["end"], context["ended_by"] = queries.discussion_end(discussion, queries.round_closed_at(round_))
    elif round_.state == "open":
        context["preview"] = queries.near_cut_candidates(
            round_, round_ranking(round_), spread=round_.discussion_spread, places=round_.discussion_places
        )
    return render(request, "judging/scoring/discussion/round.html", context, status=status)


@require_POST
@organiser_required
def discussion_start(request, competition, round_slug):
    round_ = round_for(competition, round_slug)
    form = forms.DiscussionStartForm(request.POST, round_=round_)
    if not form.is_valid():
        return round_discussion(request, competition, round_slug, start_form=form, status=422)
    try:
        discussion = services.start_discussion(
            round_=round_,
            actor=request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
        )
    except JudgingError as error:
        form.add_error(None, error_text(error))
        return round_discussion(request, competition, round_slug, start_form=form, status=422)
    count = discussion.items.count()
    messages.success(
        request,
        ngettext("Diskusi dimulai untuk %(n)s proposal.", "Diskusi dimulai untuk %(n)s proposal.", count)
        % {"n": count},
    )
    return redirect("judging:round_discussion", competition=competition, round_slug=round_slug)


@require_POST
@organiser_required
def discussion_close(request, competition, round_slug):
    round_ = round_for(competition, round_slug)
    discussion = queries.round_discussion(round_)
    if discussion is None:
        messages.error(request, _("Babak ini belum memiliki diskusi."))
    else:
        try:
            services.close_discussion(discussion=discussion, actor=request.user)
            messages.success(request, _("Diskusi ditutup; revisi tidak lagi diterima."))
        except JudgingError as error:
            messages.error(request, error_text(error))
    return redirect("judging:round_discussion", competition=competition, round_slug=round_slug)


@login_required
def my_discussions(request):
    if not permissions.can_view_my_discussions(request.user):
        return refuse(request, _("Halaman ini hanya untuk juri."))
    items = list(queries.judge_items(request.user))
    for item in items:
        item.state = queries.window_state(item.discussion)
        item.end, item.ended_by = queries.discussion_end(item.discussion, item.round_closed_at)
    return render(request, "judging/scoring/discussion/mine.html", {"items": items})


def _item_or_refusal(request, pk):
    item = get_object_or_404(DiscussionEntry.objects.select_related("discussion__round__competition", "entry"), pk=pk)
    if not permissions.can_view_thread(request.user, item):
        if queries.assigned_without_final(request.user, item):
            return item, refuse(
                request,
                _(
                    "Kirim lembar nilai final Anda untuk proposal ini dari antrean penilaian dulu; nilai juri lain "
                    "tidak ditampilkan sebelum Anda menilainya sendiri."
                ),
            )
        return item, refuse(
            request,
            _("Diskusi ini hanya untuk juri proposal ini (tanpa konflik kepentingan) dan penyelenggara."),
        )
    return item, None


def _thread_page(request, item, *, comment_form=None, revision_form=None, error="", status=200):
    end, ended_by = queries.discussion_end(item.discussion, queries.round_closed_at(item.discussion.round))
    sheets = queries.panel_sheets(item)
    criteria = round_criteria(item.discussion.round)
    own = next((s for s in sheets if s.assignment.judge_id == request.user.pk), None)
    may_take_part = permissions.can_take_part(request.user, item)
    if revision_form is None and may_take_part and own is not None and own.state == "final":
        revision_form = forms.RevisionForm(criteria=criteria, sheet=own)
    context = {
        "item": item,
        "discussion": item.discussion,
        "round": item.discussion.round,
        "state": queries.window_state(item.discussion),
        "ends_at": services.wita(end),
        "ended_by": ended_by,
        "starts_at": services.wita(item.discussion.starts_at),
        "sheets": sheets,
        "criteria": criteria,
        "comments": list(queries.thread_comments(item)),
        "revisions": list(queries.item_revisions(item)),
        "may_take_part": may_take_part,
        "can_manage": permissions.can_manage_discussion(request.user, item.discussion.round),
        "own": own,
        "comment_form": comment_form or (forms.CommentForm() if may_take_part else None),
        "revision_form": revision_form if may_take_part else None,
        "error": error,
    }
    return render(request, "judging/scoring/discussion/thread.html", context, status=status)


@login_required
def thread(request, pk):
    item, refusal = _item_or_refusal(request, pk)
    return refusal or _thread_page(request, item)


@require_POST
@login_required
def comment(request, pk):
    item, refusal = _item_or_refusal(request, pk)
    if refusal:
        return refusal
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, item, comment_form=form, error=_("Tuliskan komentar Anda."), status=422)
    try:
        services.add_comment(item=item, author=request.user, text=form.cleaned_data["text"])
    except JudgingError as error:
        return _thread_page(request, item, comment_form=form, error=error_text(error), status=422)
    messages.success(request, _("Komentar terkirim."))
    return redirect("judging:discussion_thread", pk=item.pk)


@require_POST
@login_required
def revise(request, pk):
    item, refusal = _item_or_refusal(request, pk)
    if refusal:
        return refusal
    form = forms.RevisionForm(request.POST, criteria=round_criteria(item.discussion.round))
    if not form.is_valid():
        return _thread_page(request, item, revision_form=form, error=_("Periksa isian revisi."), status=422)
    try:
        revision = services.revise_sheet(
            item=item,
            judge=request.user,
            values=form.values(),
            overall_comment=form.cleaned_data["overall_comment"],
            version=form.cleaned_data["version"],
        )
    except StaleSheetError as error:
        return _thread_page(request, item, revision_form=form, error=error_text(error), status=409)
    except JudgingError as error:
        return _thread_page(request, item, revision_form=form, error=error_text(error), status=422)
    messages.success(
        request,
        _("Revisi tersimpan: total lembar Anda %(before)s → %(after)s.")
        % {"before": total_text(revision.before_total), "after": total_text(revision.after_total)},
    )
    return redirect("judging:discussion_thread", pk=item.pk)
