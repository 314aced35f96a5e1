"""Organiser: the list of rounds and creating a round."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from judging.models import Round
from judging.scoring import forms, permissions, services
from kipp.errors import add_message
from kipp.models import Competition
from kipp.permissions import organised_q


@permissions.organiser_required
def round_index(request):
    competitions = (
        Competition.objects.filter(organised_q(request.user))
        .prefetch_related(Prefetch("rounds", queryset=Round.objects.order_by("order")))
        .order_by("-year", "name")
    )
    return render(request, "judging/scoring/round_index.html", {"competitions": competitions})


@permissions.organiser_required
def round_create(request, competition):
    competition = get_object_or_404(Competition, slug=competition)
    form = forms.RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(competition=competition, actor=request.user, **form.cleaned_data)
        except services.JudgingError as error:
            add_message(request, error)
        else:
            messages.success(request, _("Babak dibuat dengan rubrik bawaan."))
            return redirect("judging:round_setup", competition=competition.slug, round_slug=round_.slug)
    return render(request, "judging/scoring/round_create.html", {"competition": competition, "form": form})
