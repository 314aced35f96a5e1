from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from kipp import services_accounts
from kipp.hooks import collect_sections
from kipp.organisations.queries import open_calls_by_organisation
from kipp.permissions import can_see_pending_members, is_pending_member, is_verifier


def home(request):
    now = timezone.now()
    open_calls = open_calls_by_organisation(now)
    return render(
        request,
        "kipp/home.html",
        {
            "open_calls": open_calls,
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


# The error pages never query the database: it may be the reason for the error, or away while a page is simply
# missing (issue 19). They show the signed-in person's name and menu only when this request has already read the
# person; a request with a session whose person was not read shows the header without the account part.


def known_user(request):
    """The person of this request without a query: the user the request already read, AnonymousUser when it
    carries no session cookie, None when it has a session whose person was not read (unknown)."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser

    cached = getattr(request, "_cached_user", None)  # set by django.contrib.auth once request.user was read
    if cached is not None:
        return cached
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return AnonymousUser()
    return None


def error_context(request, **extra):
    """What base.html reads of the person, in place of the context processors' lazy values (which would load
    the session and the user). Messages wait for the next page."""
    from django.contrib.auth.models import AnonymousUser

    from kipp.navigation import items_for

    user = known_user(request)
    return {
        "user": user if user is not None else AnonymousUser(),
        "account_unknown": user is None,
        "nav_items": items_for(user) if user is not None else [],
        "messages": (),
        **extra,
    }


@requires_csrf_token
def error_403(request, exception=None):
    """The refusal page; a PermissionDenied raised with a sentence (the services' refusals are translated
    sentences) shows it, so the person reads why and what to do."""
    reason = str(exception.args[0]) if exception is not None and exception.args else ""
    return render(request, "403.html", error_context(request, reason=reason), status=403)


@requires_csrf_token
def error_404(request, exception=None):
    return render(request, "404.html", error_context(request), status=404)


def error_500(request):
    # No context processors that touch the database: the database may be the reason we are here.
    from django.template import loader

    template = loader.get_template("500.html")
    return _plain_response(template.render({}), 500)


def _plain_response(content, status):
    from django.http import HttpResponse

    return HttpResponse(content, status=status)
