"""An organisation's public home (/o/<slug>/), its logo, and the organisers' letterhead page (/o/<slug>/kop/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kipp.files import private_file_response
from kipp.hooks import collect_sections
from kipp.organisations.forms import LetterheadForm
from kipp.organisations.letterhead import current as current_letterhead
from kipp.organisations.models import Organisation
from kipp.organisations.permissions import can_edit_letterhead
from kipp.organisations.queries import open_calls


def _organisation(slug):
    return get_object_or_404(Organisation.objects.select_related("province", "region"), slug=slug)


@require_GET
def home(request, slug):
    organisation = _organisation(slug)
    now = timezone.now()
    return render(
        request,
        "kipp/organisations/home.html",
        {
            "organisation": organisation,
            "letterhead": current_letterhead(organisation),
            "competitions": list(open_calls(now, organisation)),
            "now": now,
            "sections": collect_sections("organisation_sections", request, organisation),
            "can_edit_letterhead": can_edit_letterhead(request.user, organisation),
        },
    )


@require_GET
def logo(request, slug):
    """The letterhead's logo: public (it heads every public announcement), cleaned when it was uploaded."""
    organisation = _organisation(slug)
    return private_file_response(
        organisation.logo, content_type=organisation.logo_content_type, inline=True, public=True
    )


@login_required
def letterhead(request, slug):
    organisation = _organisation(slug)
    if not can_edit_letterhead(request.user, organisation):
        raise PermissionDenied
    posted = request.method == "POST"
    form = LetterheadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=organisation,
        actor=request.user,
        request=request,
    )
    if posted and form.is_valid() and form.save() is not None:
        messages.success(request, _("Kop %(name)s disimpan.") % {"name": organisation.name})
        return redirect("kipp:organisation_letterhead", slug=organisation.slug)
    status = 400 if form.errors else 200
    return render(
        request,
        "kipp/organisations/letterhead.html",
        {
            "organisation": organisation,
            # what is saved, read again: a refused form has put what was typed on `organisation` (its instance)
            "letterhead": current_letterhead(Organisation.objects.get(pk=organisation.pk)),
            "form": form,
        },
        status=status,
    )
