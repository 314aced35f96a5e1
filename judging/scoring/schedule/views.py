"""Schedule pages: the organiser generates and edits a round's presentation schedule (plain form posts; the
optional static/js/schedule.js drag-and-drop posts the same forms); a printable schedule for organisers and the
round's judges."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from judging.models import Round, ScheduleSlot
from judging.scoring.permissions import organiser_required
from judging.scoring.queries import conflicted_entry_ids
from judging.scoring.refusals import round_page_refusal
from judging.scoring.schedule import services
from judging.scoring.schedule.forms import ScheduleForm, SlotForm
from judging.scoring.schedule.queries import schedule, schedule_days
from judging.scoring.services import JudgingError
from kipp.errors import add_message
from kipp.permissions import organises_competition


def _round(competition, round_slug):
    return get_object_or_404(
        Round.objects.select_related("competition"), competition__slug=competition, slug=round_slug
    )


@organiser_required
def schedule_edit(request, competition, round_slug):
    round_ = _round(competition, round_slug)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.generate_schedule(round_=round_, actor=request.user, **form.options())
            except JudgingError as error:
                add_message(request, error)
            else:
                messages.success(
                    request, ngettext("Jadwal dibuat: %(n)s slot.", "Jadwal dibuat: %(n)s slot.", count) % {"n": count}
                )
                return redirect("judging:schedule", competition=competition, round_slug=round_slug)
        else:
            messages.error(request, _("Periksa isian jadwal."))
    slots = schedule(round_)
    return render(
        request,
        "judging/scoring/schedule.html",
        {
            "round": round_,
            "form": form,
            "days": schedule_days(slots),
        },
    )


@require_POST
@organiser_required
def slot_action(request, pk, action):
    slot = get_object_or_404(ScheduleSlot.objects.select_related("round__competition"), pk=pk)
    try:
        if action in ("up", "down"):
            services.move_slot(slot=slot, direction=action, actor=request.user)
        elif action == "edit":
            form = SlotForm(request.POST, prefix=f"s{slot.pk}")
            if not form.is_valid():
                raise JudgingError(_("Periksa tanggal, jam, durasi dan ruang."))
            services.update_slot(slot=slot, actor=request.user, **form.cleaned_data)
        else:
            raise Http404
    except JudgingError as error:
        add_message(request, error)
    else:
        messages.success(request, _("Jadwal diperbarui."))
    return redirect("judging:schedule", competition=slot.round.competition.slug, round_slug=slot.round.slug)


@login_required
def schedule_print(request, competition, round_slug):
    """The printable schedule: organisers and the round's judges. A judge's copy withholds the entries a conflict of
    interest keeps from them (the slot's time stays, the code, title and agency do not); a count says how many."""
    round_ = _round(competition, round_slug)
    refusal = round_page_refusal(request, round_)
    if refusal is not None:
        return refusal
    slots = schedule(round_)
    withheld = 0
    if not organises_competition(request.user, round_.competition):
        conflicted = conflicted_entry_ids(round_, request.user)
        for slot in slots:
            slot.withheld = slot.entry_id in conflicted
            withheld += slot.withheld
    context = {"round": round_, "days": schedule_days(slots), "withheld": withheld}
    return render(request, "judging/scoring/schedule_print.html", context)
