from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from kipp import services_accounts
from kipp.hooks import collect_sections
from kipp.permissions import can_see_pending_members, is_pending_member, is_verifier
from kipp.queries import upcoming_or_open_competitions


def home(request):
    now = timezone.now()
    competitions = list(upcoming_or_open_competitions(now))
    return render(
        request,
        "kipp/home.html",
        {
            "competitions": competitions,
            "now": now,
            "sections": collect_sections("home_sections", request),
        },
    )


@login_required
def dashboard(request):
    user = request.user
    context = {"sections": collect_sections("dashboard_sections", request), "show_region": is_verifier(user)}
    if is_pending_member(user):
        context["membership_notice"] = services_accounts.pending_membership_message(user)
    elif can_see_pending_members(user):
        context["pending_count"] = services_accounts.pending_members(user).count()
    return render(request, "kipp/dashboard.html", context)


@requires_csrf_token
def error_403(request, exception=None):
    """The refusal page; a PermissionDenied raised with a sentence (the services' refusals are translated
    sentences) shows it, so the person reads why and what to do."""
    reason = str(exception.args[0]) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the database may be the reason we are here.
    from django.template import loader

    template = loader.get_template("500.html")
    return _plain_response(template.render({}), 500)


def _plain_response(content, status):
    from django.http import HttpResponse

    return HttpResponse(content, status=status)
