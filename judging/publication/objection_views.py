"""The organiser's answer to an objection (on the announcement's manage page). The form carries the answer time the
page showed; an answer written meanwhile by someone else refuses this one (409) and the manage page comes back with
what was typed, the refusal beside it and the current answer above it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from judging.models import Announcement, Objection
from judging.publication import forms, services
from judging.publication.views import manage_context
from judging.scoring.permissions import organiser_required
from judging.scoring.services import JudgingError
from kipp.errors import error_text


@require_POST
@organiser_required
def objection_answer(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("announcement"), pk=pk)
    form = forms.AnswerForm(request.POST, auto_id=f"answer{objection.pk}_%s")
    if not form.is_valid():  # the answer's own errors show beside it; a hidden field's would not
        return _refused(request, objection, form, (form.errors.get("seen") or [None])[0], status=400)
    previously_answered = form.cleaned_data["seen"] is not None
    try:
        saved = services.answer_objection(
            objection=objection,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            seen_answered_at=form.cleaned_data["seen"],
        )
    except services.StaleAnswerError as error:
        # the typed answer is kept, now resting on the answer the page shows above it: sending it again (after
        # reading that answer) replaces it knowingly, as a revision from a fresh page would
        current = Objection.objects.get(pk=objection.pk)
        data = {"answer": form.cleaned_data["answer"], "seen": current.answered_at.isoformat()}
        kept = forms.AnswerForm(data, auto_id=f"answer{objection.pk}_%s")
        kept.is_valid()
        return _refused(request, objection, kept, error_text(error), status=409)
    except JudgingError as error:
        return _refused(request, objection, form, error_text(error), status=400)
    if saved.already_saved:
        messages.info(request, _("Jawaban ini sudah tersimpan sebelumnya; email tidak dikirim lagi."))
    elif previously_answered:
        messages.success(
            request,
            _(
                "Jawaban diubah; email kepada penyanggah, yang menyebut bahwa jawaban ini menggantikan jawaban "
                "sebelumnya, masuk antrean dan segera dikirim."
            ),
        )
    else:
        messages.success(request, _("Jawaban disimpan; email kepada penyanggah masuk antrean dan segera dikirim."))
    url = reverse("judging:announcement_manage", args=[objection.announcement_id])
    return redirect(f"{url}#objection-{objection.pk}")


def _refused(request, objection, form, error, *, status):
    """The manage page again, with this objection's form holding what was typed and the refusal beside it (and on
    top of the page); the objection shows its answer as it is now."""
    announcement = get_object_or_404(
        Announcement.objects.select_related("round__competition", "prepared_by", "approved_by", "previous"),
        pk=objection.announcement_id,
    )
    if error:
        form.add_error(None, error)
        messages.error(request, error)
    context = manage_context(announcement, request.user)
    for shown in context["objections"]:
        if shown.pk == objection.pk:
            shown.answer_form = form
    return render(request, "judging/publication/manage.html", context, status=status)
