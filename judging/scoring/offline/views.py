"""The service worker (/sw.js, scope /) and the page it shows for a page the device does not hold (/luring/)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.http import require_safe

from judging.scoring.offline import answers

SCRIPTS = ["js/offline/store.js", "js/offline/sync.js"]


@require_safe
def service_worker(request):
    """The worker's script, rendered so that it names the static files as they are served (hashed names in
    production). Checked again by the browser on every visit (no-cache); its scope is the whole site."""
    response = render(request, "judging/scoring/offline/sw.js", {"scripts": SCRIPTS}, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_page(request):
    """Shown by the service worker, with no connection, for a page this device does not keep. The same for everyone
    (nothing of a person on it), fetched when the worker is installed and again when a kept page is opened."""
    response = render(request, "judging/scoring/offline/offline.html")
    response["Cache-Control"] = "no-cache"
    return response


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a sending from the device (Accept JSON) is told that its token was refused
    ({"csrf": true}: sync.js reads today's token once and sends again), so that it is never taken for a refusal
    (and a refusal never for a lost token). Every other request gets Django's page."""
    if answers.wants_json(request):
        return answers.refused(_("Sesi formulir kedaluwarsa; dikirim ulang dengan token baru."), status=403, csrf=True)
    return csrf.csrf_failure(request, reason=reason)
