"""What a sending queued on a judge's device is told (static/js/offline/sync.js): JSON instead of a page.

A fetch sends `Accept: application/json`; the plain form POST (no JavaScript) is answered with pages as before.
- 200 {"ok": true, ...}: stored (or already stored by an earlier sending of the same key: "already_saved").
- 409 {"conflict": true, "server": {...}}: the sheet changed since the version the sending was based on; nothing
  was written; the server's version goes back with the answer so that the judge sees both and chooses.
- 403 / 422 {"refused": true, "message": ...}: refused for a reason the judge must read (round closed, conflict of
  interest declared, not theirs, a required criterion missing); the sending stays on the device.
- 400 {"refused": true, "errors": {...}}: a value that the form refuses.
- 403 {"refused": true, "csrf": true}: only the CSRF token was refused (the person signed in again since the page
  was kept): the device reads today's token and sends once more.
"""

from django.core.signing import salted_hmac
from django.http import JsonResponse

from judging.scoring.enums import SheetState

FOREGROUND_HEADER = "X-Kipp-Foreground"  # the judge pressed the button on this page: the answer page shows a message


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def foreground(request):
    return request.headers.get(FOREGROUND_HEADER) == "1"


def user_key(user):
    """The opaque key that names a person's cache and drafts on a device (never their id or email)."""
    return salted_hmac("kipp.offline.user", str(user.pk)).hexdigest()[:20]


def sheet_state(sheet):
    """The server's version of a sheet as the device compares it with its own: version, state and values."""
    if sheet is None:
        return {"version": 0, "state": "", "state_label": "", "overall_comment": "", "scores": {}}
    return {
        "version": sheet.version,
        "state": sheet.state,
        "state_label": str(SheetState(sheet.state).label),
        "overall_comment": sheet.overall_comment,
        "scores": {str(s.criterion_id): {"value": s.value, "comment": s.comment} for s in sheet.scores.all()},
    }


def stored(sheet, *, message, next_url):
    return JsonResponse(
        {
            "ok": True,
            "already_saved": bool(getattr(sheet, "already_saved", False)),
            "version": sheet.version,
            "state": sheet.state,
            "message": message,
            "next": next_url,
        }
    )


def conflict(sheet, *, message):
    return JsonResponse({"ok": False, "conflict": True, "message": message, "server": sheet_state(sheet)}, status=409)


def refused(message, *, status=422, errors=None, csrf=False):
    body = {"ok": False, "refused": True, "message": str(message)}
    if errors:
        body["errors"] = errors
    if csrf:  # the CSRF token was refused (offline/views.py csrf_failure), not the sending
        body["csrf"] = True
    return JsonResponse(body, status=status)
