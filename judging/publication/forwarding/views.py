"""The organisers' forwarding pages: the overview, the upper competition's settings (what feeds it, its quota) and
the lower competition's nomination from its public final list (one form, one step)."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from judging.publication.forwarding import permissions, queries, services
from judging.publication.forwarding.forms import FeedingForm
from judging.scoring.permissions import organiser_required
from kipp.errors import Invalid, PortalError, error_text
from kipp.models import Competition


def _across_organisations(view):
    """Forwarding joins two organisations' competitions (the lower one's final list, the upper one's call): its pages
    read outside the organiser's scope, and their predicates (can_configure_feeding, can_nominate_from, the
    overview's forwarding_scope) say who may do what."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with scopes_disabled():
            return view(request, *args, **kwargs)

    return wrapper


def _refuse(request, message):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=403)


@require_GET
@organiser_required
@_across_organisations
def forwarding_index(request):
    uppers, feeds = queries.forwarding_overview(permissions.forwarding_scope(request.user))
    return render(request, "judging/publication/forwarding/index.html", {"uppers": uppers, "feeds": feeds})


@organiser_required
@_across_organisations
def forwarding_settings(request, competition):
    competition = get_object_or_404(Competition.objects.select_related("organisation"), slug=competition)
    if not permissions.can_configure_feeding(request.user, competition):
        return _refuse(request, _("Hanya penyelenggara kompetisi ini yang dapat mengatur penerusan ke kompetisi ini."))
    rule = queries.feeding_rule(competition)
    candidates = queries.lower_candidates(competition)
    initial = {
        "quota_per_organisation": rule.quota_per_organisation if rule else 3,
        "lowers": list(rule.feeds.values_list("lower_id", flat=True)) if rule else [],
    }
    form = FeedingForm(request.POST or None, initial=initial, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.configure_feeding(
                    competition=competition,
                    actor=request.user,
                    quota=form.cleaned_data["quota_per_organisation"],
                    lowers=form.cleaned_data["lowers"],
                    request=request,
                )
            except PortalError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Pengaturan penerusan disimpan."))
                return redirect("judging:forwarding_settings", competition=competition.slug)
        status = 400
    context = {
        "competition": competition,
        "form": form,
        "rule": rule,
        "usage": queries.quota_usage(rule) if rule else [],
        "nominations": list(queries.nominations_into(competition)) if rule else [],
    }
    return render(request, "judging/publication/forwarding/settings.html", context, status=status)


@organiser_required
@_across_organisations
def forwarding_nominate(request, competition, upper):
    lower = get_object_or_404(Competition.objects.select_related("organisation"), slug=competition)
    upper = get_object_or_404(
        Competition.objects.select_related("organisation", "feeding_rule"), slug=upper, feeding_rule__feeds__lower=lower
    )
    if not permissions.can_nominate_from(request.user, lower):
        return _refuse(
            request,
            _("Hanya penyelenggara %(competition)s yang dapat mengusulkan inovasinya.") % {"competition": lower.name},
        )
    status, error = 200, None
    if request.method == "POST":
        try:
            ids = [int(pk) for pk in request.POST.getlist("entries")]
            nominations = services.nominate_entries(
                upper=upper, lower=lower, entry_ids=ids, actor=request.user, request=request
            )
        except ValueError:
            error, status = _("Pilihan tidak dikenal."), 400
        except PermissionDenied as refusal:
            return _refuse(request, error_text(refusal))
        except PortalError as refusal:
            error, status = error_text(refusal), 400 if isinstance(refusal, Invalid) else 409
        else:
            messages.success(
                request,
                _("%(count)d inovasi diusulkan ke %(upper)s; masing-masing kini menjadi draf instansinya.")
                % {"count": len(nominations), "upper": upper.name},
            )
            return redirect("judging:forwarding_nominate", competition=lower.slug, upper=upper.slug)
    return render(
        request,
        "judging/publication/forwarding/nominate.html",
        _nominate_context(lower, upper, error, request.POST.getlist("entries")),
        status=status,
    )


def _nominate_context(lower, upper, error, checked):
    announcement = queries.public_final_announcement(lower)
    rule = upper.feeding_rule
    nominated = queries.nominated_entry_ids(upper, lower)
    used = queries.used_quota(upper, lower.organisation_id)
    rows = list(queries.final_list(announcement)) if announcement else []
    return {
        "lower": lower,
        "upper": upper,
        "announcement": announcement,
        "rows": [{"row": r, "draft": nominated.get(r.entry_id), "checked": str(r.entry_id) in checked} for r in rows],
        "quota": rule.quota_per_organisation,
        "used": used,
        "left": max(rule.quota_per_organisation - used, 0),
        "open": upper.is_open(),
        "error": error,
    }
