"""Before any page: a signed-in session that owes a second factor (policy.owed_step) goes to the verify page (a
device exists) or the enrol page (the setting requires one), keeping where it was going in ?next=. Only the pages
of that step, signing out, the language switch and static files stay open. Installed after
django_otp.middleware.OTPMiddleware, which tells whether this session gave a code."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from kipp.middleware import DatabaseUnavailableMiddleware
from kipp.twofactor.policy import owed_step

STEP_URLS = {"verify": "kipp:twofactor_verify", "enrol": "kipp:twofactor_enrol"}
OPEN_URL_NAMES = ("kipp:twofactor_verify", "kipp:twofactor_enrol", "kipp:twofactor_backup_codes", "kipp:logout")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def _open(self, path):
        if self._open_paths is None:
            self._open_paths = tuple(reverse(name) for name in OPEN_URL_NAMES)
        static = settings.STATIC_URL or "/static/"
        return path in self._open_paths or path.startswith((static, "/i18n/"))

    def __call__(self, request):
        if not self._open(request.path):
            try:
                step = owed_step(request.user)
            except (OperationalError, InterfaceError) as error:
                if not _resolves(request):  # a missing page is missing for everyone: its 404 needs no database
                    return self.get_response(request)
                return DatabaseUnavailableMiddleware(self.get_response).process_exception(request, error)
            if step is not None:
                return self._redirect(request, step)
        return self.get_response(request)

    @staticmethod
    def _redirect(request, step):
        target = reverse(STEP_URLS[step])
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)


def _resolves(request):
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True
