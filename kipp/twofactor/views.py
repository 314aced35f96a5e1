"""The pages of two-factor sign-in under /akun/2fa/: enrol (QR code and secret, one code to confirm, then the
backup codes once), verify after the password, new backup codes, remove one's own device, and the organisers'
reset of another person's lost device."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from kipp.errors import PortalError, error_text
from kipp.permissions import is_organiser, is_portal_administrator
from kipp.twofactor import services
from kipp.twofactor.forms import AppCodeForm, CodeForm, ResetForm
from kipp.twofactor.permissions import can_reset_second_factor, resettable_people
from kipp.twofactor.policy import has_device, is_verified, must_enrol

BACKUP_CODES_SESSION_KEY = "twofactor_backup_codes"


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _go_on(request):
    return redirect(_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(name, request):
    url = resolve_url(name)
    next_url = _next_url(request)
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)


def _qr_svg(device):
    """The QR code of the app's setup link, drawn on the server as inline SVG (no external service, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=_("Kode QR untuk aplikasi autentikator")
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="twofactor-qr" ', 1))  # noqa: S308 (segno output)


@login_required
def overview(request):
    return redirect(f"{resolve_url('kipp:profile')}#twofactor-heading")


@never_cache
@login_required
def enrol(request):
    user = request.user
    if has_device(user):
        if is_verified(user):
            messages.info(request, _("Verifikasi dua langkah Anda sudah aktif."))
            return redirect("kipp:profile")
        return _with_next("kipp:twofactor_verify", request)
    device = services.pending_device(user, request.session)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(
                user=user, device_id=device.pk, code=form.cleaned_data["code"], request=request
            )
        except PortalError as error:
            _refused_code(form, error)
        else:
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Verifikasi dua langkah aktif. Simpan kode cadangan di bawah ini."))
            return _with_next("kipp:twofactor_backup_codes", request)
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": services.secret_text(device),
        "required": must_enrol(user),
        "next": _next_url(request),
    }
    if context["required"]:
        context["nav_items"] = []  # every other page waits for this step: no menu that only leads back here
    return render(request, "kipp/twofactor/enrol.html", context)


def _refused_code(form, error):
    """Show why the code was refused, with the field empty for the next code (a six-digit code is typed anew)."""
    form.add_error("code", error_text(error))
    form.data = form.data.copy()
    form.data["code"] = ""


@never_cache
@login_required
def verify(request):
    user = request.user
    if is_verified(user):
        return _go_on(request)
    if not has_device(user):
        if must_enrol(user):
            return _with_next("kipp:twofactor_enrol", request)
        return _go_on(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(user=user, code=form.cleaned_data["code"], request=request)
        except PortalError as error:
            _refused_code(form, error)
        else:
            if isinstance(device, StaticDevice):
                left = services.backup_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode cadangan; kode itu tidak berlaku lagi. Tersisa %(left)d kode. "
                        "Buat kode cadangan baru di halaman profil bila tinggal sedikit."
                    )
                    % {"left": left},
                )
            return _go_on(request)
    # every other page waits for this step: no menu that only leads back here
    return render(request, "kipp/twofactor/verify.html", {"form": form, "next": _next_url(request), "nav_items": []})


@never_cache
@login_required
def backup_codes(request):
    """Shows the backup codes just made, once: they leave the session as the page is drawn."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(
            request,
            _(
                "Kode cadangan hanya ditampilkan sekali. Bila Anda tidak menyimpannya, buat kode cadangan baru di "
                "halaman profil."
            ),
        )
        return redirect("kipp:profile")
    continue_url = _next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    return render(request, "kipp/twofactor/backup_codes.html", {"codes": codes, "continue_url": continue_url})


@require_POST
@login_required
def renew_backup_codes(request):
    try:
        codes = services.renew_backup_codes(user=request.user, request=request)
    except PortalError as error:
        messages.error(request, error_text(error))
        return redirect("kipp:profile")
    request.session[BACKUP_CODES_SESSION_KEY] = codes
    return redirect("kipp:twofactor_backup_codes")


@never_cache
@login_required
def remove(request):
    if not has_device(request.user):
        return redirect("kipp:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_own_device(user=request.user, code=form.cleaned_data["code"], request=request)
        except PortalError as error:
            form.add_error("code", error_text(error))
        else:
            messages.success(request, _("Verifikasi dua langkah dimatikan; aplikasi dan kode cadangan dihapus."))
            return redirect("kipp:profile")
    return render(request, "kipp/twofactor/remove.html", {"form": form, "required": must_enrol(request.user)})


def _organiser_with_second_factor(request):
    if not is_organiser(request.user):
        raise PermissionDenied
    return is_verified(request.user)


@never_cache
@login_required
def reset_list(request):
    verified = _organiser_with_second_factor(request)
    people = []
    if verified:
        people = list(
            resettable_people(request.user)
            .filter(totpdevice__confirmed=True)
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("full_name", "pk")
        )
        for person in people:  # the organisation's own people only: what is left is per person, without queries
            person.can_reset = person.is_active and (not person.is_superuser or is_portal_administrator(request.user))
    return render(request, "kipp/twofactor/reset_list.html", {"people": people, "verified": verified})


@never_cache
@login_required
def reset(request, pk):
    _organiser_with_second_factor(request)
    person = get_object_or_404(resettable_people(request.user), pk=pk)  # another organisation's: not found
    if not can_reset_second_factor(request.user, person):
        if person.pk == request.user.pk:
            raise PermissionDenied(
                _(
                    "Anda tidak dapat mengatur ulang verifikasi dua langkah Anda sendiri. Minta penyelenggara lain, "
                    "atau hapus perangkat dari halaman profil dengan kode yang masih Anda miliki."
                )
            )
        raise PermissionDenied(
            _("Hanya penyelenggara lain yang sudah masuk dengan verifikasi dua langkah yang dapat mengatur ulangnya.")
        )
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_second_factor(
                actor=request.user, person=person, reason=form.cleaned_data["reason"], request=request
            )
        except PortalError as error:
            form.add_error("reason", error_text(error))
        else:
            messages.success(
                request,
                _("Verifikasi dua langkah %(name)s diatur ulang. Ia akan mendaftarkan perangkat baru saat masuk.")
                % {"name": person.full_name},
            )
            return redirect("kipp:twofactor_reset_list")
    return render(request, "kipp/twofactor/reset.html", {"form": form, "person": person})
