"""Organisers' competition pages: the list and a new competition (details and sections are edited in the admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kipp.forms import CompetitionForm
from kipp.models import Competition
from kipp.permissions import can_manage_competitions, is_portal_administrator, organised_q


def _organiser_only(request):
    if not can_manage_competitions(request.user):
        raise PermissionDenied


@login_required
def competition_list(request):
    _organiser_only(request)
    competitions = (
        Competition.objects.select_related("organisation")
        .filter(organised_q(request.user))
        .annotate(section_count=Count("sections", distinct=True), category_count=Count("categories", distinct=True))
        .order_by("-year", "name")
    )
    return render(
        request,
        "kipp/competitions.html",
        {
            "competitions": competitions,
            "now": timezone.now(),
            # the Django admin is for portal administrators only; organisers see no link into it
            "can_edit_in_admin": is_portal_administrator(request.user),
        },
    )


@login_required
def competition_create(request):
    _organiser_only(request)
    form = CompetitionForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        competition = form.save()
        if competition is not None:
            messages.success(
                request,
                _("Kompetisi %(name)s dibuat dengan %(n)s bagian proposal bawaan (KIPP 2023).")
                % {"name": competition.name, "n": competition.sections.count()},
            )
            return redirect("kipp:competitions")
    return render(request, "kipp/competition_form.html", {"form": form})
