"""Input no page can use, said once: what is refused (bad_input_reason) and the 400 answer (bad_request_response:
the site's page templates/400.html, or JSON {"error": ...} under /api/, the open data API's error shape).

Refused: a path that is not UTF-8 or holds a control character; a query string or url-encoded form body that is
not UTF-8, or holds NUL or another control character (tab, line feed and carriage return are text); NUL or a lone
surrogate in a multipart field (its name or value) or an uploaded file's name; a control character in a request
header or a cookie. PostgreSQL refuses NUL in text, so any of these would otherwise reach the database as a 500.

kipp.middleware.BadInputMiddleware applies it before any other middleware reads the request; handler400
(kipp.urls) answers Django's own 400s (SuspiciousOperation, a body too large) the same way."""

import re
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # no text in a path, a header or a cookie has these
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps tab, line feed, carriage return
BROKEN_BYTE = re.compile(r"%[89a-fA-F][0-9a-fA-F]")
NUL_OR_SURROGATE = re.compile(r"[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _raw(request, key, default=""):
    """An environ value as the bytes sent (PEP 3333: text of ISO-8859-1 code points); a server that put other
    text there gets it back as UTF-8 (its lone surrogates then fail the UTF-8 check)."""
    value = request.META.get(key, default)
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _decoded(raw):
    """Percent-encoded bytes -> text, or None when they are not UTF-8."""
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _path_reason(request):
    """The path as the client sent it: the server's RAW_URI or REQUEST_URI (gunicorn, uWSGI, werkzeug). Without
    them, Django's path_info, where bytes that were not UTF-8 are written back as %XX (a decoded path holds no
    other percent sign followed by a byte above 0x7f that our addresses could use)."""
    uri = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if uri:
        try:
            unquote_to_bytes(urlsplit(uri).path).decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            return "path is not UTF-8"
    elif BROKEN_BYTE.search(request.path_info):
        return "path is not UTF-8"
    if CONTROL.search(unquote(urlsplit(uri).path) if uri else "") or CONTROL.search(request.path_info):
        return "control character in path"
    return None


def _encoded_reason(raw, where):
    text = _decoded(raw)
    if text is None:
        return f"{where} is not UTF-8"
    if CONTROL_IN_TEXT.search(text):
        return f"control character in {where}"
    return None


def _header_reason(request):
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and CONTROL.search(value.replace("\t", " ")):
            return f"control character in header {name}"
    for name, value in request.COOKIES.items():
        if CONTROL.search(name) or CONTROL.search(value):
            return "control character in a cookie"
    return None


def _form_reason(request):
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        return None
    if content_type == FORM_TYPES[0]:
        reason = _encoded_reason(request.body, "form")
        if reason:
            return reason
    for name, values in request.POST.lists():
        if CONTROL.search(name) or any(NUL_OR_SURROGATE.search(value) for value in values):
            return "NUL or invalid character in a form field"
    for name, files in request.FILES.lists():
        if CONTROL.search(name) or any(CONTROL.search(f.name or "") for f in files):
            return "control character in an uploaded file's name"
    return None


def bad_input_reason(request):
    """Why the request cannot be read (a short English phrase for the log and the API), or None."""
    return (
        _path_reason(request)
        or _encoded_reason(_raw(request, "QUERY_STRING"), "query string")
        or _header_reason(request)
        or _form_reason(request)
    )


def is_api(request):
    return request.path_info.startswith(API_PREFIX)


def bad_request_response(request, reason="bad request"):
    """The 400 answer. The page is rendered without the request: its session, user and context processors may be
    what the bad input would break; the page shows the site's layout as for a visitor."""
    if is_api(request):
        response = JsonResponse({"error": reason}, status=400)
    else:
        with translation.override(settings.LANGUAGE_CODE):  # Indonesian first, whatever the thread served last
            page = loader.get_template("400.html").render({"message": _page_message(reason)})
        response = HttpResponseBadRequest(page)
    response["Cache-Control"] = "private, no-store"
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = _csp()
    return response


def _page_message(reason):
    if reason.startswith("control character") or "NUL" in reason or "not UTF-8" in reason:
        return _(
            "Alamat atau isian berisi karakter yang tidak dapat dibaca (misalnya karakter kosong atau karakter "
            "kendali). Periksa alamat atau isian Anda, hapus karakter tersebut, lalu coba lagi."
        )
    return _("Permintaan tidak dapat diproses. Periksa alamat atau isian Anda, lalu coba lagi.")


def _csp():
    from csp.utils import build_policy

    return build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])


def error_400(request, exception=None):
    """handler400: Django's own 400s (SuspiciousOperation, RequestDataTooBig, ...) answered as ours."""
    return bad_request_response(request)
