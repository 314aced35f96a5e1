"""The writes of two-factor sign-in: enrolment, verification, backup codes, removal and reset. Each is audited
(kipp.services.record_event); wrong codes are counted in kipp.limits (TWOFA_FAILURE_LIMIT per person per
TWOFA_FAILURE_WINDOW), on top of django-otp's own back-off per device."""

import re
from base64 import b32encode
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kipp import limits
from kipp.errors import Invalid, Refused
from kipp.mail import absolute_url, send_templated_mail
from kipp.outbox.enums import NotificationKind
from kipp.services import record_event
from kipp.sessions import end_sessions_of
from kipp.twofactor.permissions import can_reset_second_factor

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def _limit_key(user):
    return f"twofactor:{user.pk}"


def _normalised(code):
    return re.sub(r"[\s-]+", "", str(code or "")).lower()[:32]


def secret_text(device):
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


PENDING_DEVICE_SESSION_KEY = "twofactor_pending_device"
PENDING_DEVICE_LIFETIME = timedelta(hours=1)
MAX_PENDING_DEVICES = 5


def pending_device(user, session):
    """The authenticator being enrolled in this session: its own unconfirmed TOTP device, the same one on every
    reload of this session (so the QR code stays the same), a new secret for any other session. A secret seen by
    one session (someone who has only the password) is never the one another session confirms. Unconfirmed
    devices older than PENDING_DEVICE_LIFETIME are removed when a new one is made."""
    device_id = session.get(PENDING_DEVICE_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    if device is None:
        stale = timezone.now() - PENDING_DEVICE_LIFETIME
        pending = TOTPDevice.objects.filter(user=user, confirmed=False)
        pending.filter(created_at__lt=stale).delete()
        kept = list(pending.order_by("-pk").values_list("pk", flat=True)[: MAX_PENDING_DEVICES - 1])
        pending.exclude(pk__in=kept).delete()  # a bound, however many sessions open the enrol page
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
        session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _take_attempt(user, request):
    """Count one code attempt; refuse when the person gave too many wrong codes in the window."""
    window = settings.TWOFA_FAILURE_WINDOW
    if limits.take(_limit_key(user), limit=settings.TWOFA_FAILURE_LIMIT, window=window):
        return
    record_event(actor=user, action="twofactor.locked", obj=user, request=request)
    if limits.count(_limit_key(user), window=window) == settings.TWOFA_FAILURE_LIMIT + 1:
        _mail_locked(user, request)  # wrong codes after the right password: someone else may know it
    minutes = max(1, round(limits.retry_after(window) / 60))
    raise Refused(
        _(
            "Terlalu banyak kode yang salah. Tunggu %(minutes)d menit, lalu coba lagi. Bila perangkat Anda hilang, "
            "minta penyelenggara lain mengatur ulang verifikasi dua langkah Anda."
        )
        % {"minutes": minutes}
    )


def _wrong_code(user, request, action="twofactor.verify_failed"):
    record_event(actor=user, action=action, obj=user, request=request)
    if action == "twofactor.enrol_failed":  # no backup codes exist yet
        return Invalid(
            _(
                "Kode tidak cocok. Masukkan kode 6 angka yang sedang tampil di aplikasi autentikator untuk akun ini "
                "(periksa jam ponsel Anda; kode berganti tiap 30 detik)."
            )
        )
    return Invalid(
        _(
            "Kode tidak cocok atau sudah dipakai. Masukkan kode 6 angka yang sedang tampil di aplikasi autentikator "
            "(periksa jam ponsel Anda), atau salah satu kode cadangan."
        )
    )


def _new_backup_codes(user):
    """Replace the person's backup codes with BACKUP_CODE_COUNT new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, user, device_id, code, request):
    """Confirm the pending authenticator with one code from the app: it becomes the person's device, this session
    counts as verified, and new backup codes are made. Returns the backup codes (to show once)."""
    _take_attempt(user, request)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            raise Refused(_("Pendaftaran ini sudah tidak berlaku. Muat ulang halaman dan pindai kode QR yang baru."))
        verified = device.verify_token(_normalised(code))
    if not verified:
        raise _wrong_code(user, request, action="twofactor.enrol_failed")
    with transaction.atomic():
        # one enrolment at a time per person: two sessions confirming at once, the second finds the first's device
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        mine = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).exists()
        if not mine or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Refused(_("Pendaftaran ini sudah tidak berlaku. Muat ulang halaman dan pindai kode QR yang baru."))
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        record_event(actor=user, action="twofactor.enrolled", obj=user, request=request)
    limits.reset(_limit_key(user))
    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    otp_login(request, device)
    request.session.cycle_key()
    _mail_enrolled(user, request)
    return codes


def _mail_locked(user, request):
    """Once per window: the codes were refused after the right password, so the owner changes the password."""
    send_templated_mail(
        to=user.email,
        template="kipp/twofactor/email/locked",
        context={"user": user, "link": absolute_url(reverse("kipp:password_reset"), request)},
        language=user.language,
        request=request,
        kind=NotificationKind.TWO_FACTOR,
        user=user,
    )


def _mail_enrolled(user, request):
    """Tell the owner that an authenticator was enrolled on their account: if it was not them (someone who has the
    password enrolled first), they know at once whom to ask for a reset."""
    send_templated_mail(
        to=user.email,
        template="kipp/twofactor/email/enrolled",
        context={"user": user, "when": timezone.now(), "link": absolute_url(reverse("kipp:password_reset"), request)},
        language=user.language,
        request=request,
        kind=NotificationKind.TWO_FACTOR,
        user=user,
    )


def _matching_device(user, code):
    """The confirmed device that accepts `code` (the app's or a backup code), or None. django-otp's
    verify_token locks the device row, refuses a TOTP code used before and deletes a used backup code."""
    code = _normalised(code)
    if not code:
        return None
    # six digits are a code of the app; anything else can only be a backup code (a wrong guess of one kind does
    # not slow down the other through django-otp's back-off)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"):
            if device.verify_token(code):
                return device
    return None


def verify_second_factor(*, user, code, request):
    """Check a code after the password; on success the session is verified (django_otp.login). A backup code
    is used up. Refuses (and counts) a wrong code."""
    _take_attempt(user, request)
    device = _matching_device(user, code)
    if device is None:
        raise _wrong_code(user, request)
    limits.reset(_limit_key(user))
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        record_event(actor=user, action="twofactor.backup_code_used", obj=user, details={"left": left}, request=request)
    record_event(
        actor=user,
        action="twofactor.verified",
        obj=user,
        details={"method": "backup_code" if isinstance(device, StaticDevice) else "authenticator"},
        request=request,
    )
    otp_login(request, device)
    request.session.cycle_key()
    return device


def renew_backup_codes(*, user, request):
    """New backup codes for a verified session; the old ones stop working. Returns the codes (shown once)."""
    if not has_verified_session(request):
        raise Refused(_("Masukkan kode dari aplikasi autentikator terlebih dahulu."))
    with transaction.atomic():
        codes = _new_backup_codes(user)
        record_event(actor=user, action="twofactor.backup_codes_renewed", obj=user, request=request)
    return codes


def has_verified_session(request):
    user = request.user
    return bool(user.is_authenticated and getattr(user, "otp_device", None) is not None)


def _delete_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def remove_own_device(*, user, code, request):
    """The person removes their authenticator and backup codes, confirming with a current code."""
    if not has_verified_session(request):
        raise Refused(_("Masukkan kode dari aplikasi autentikator terlebih dahulu."))
    _take_attempt(user, request)
    if _matching_device(user, code) is None:
        raise _wrong_code(user, request, action="twofactor.remove_failed")
    limits.reset(_limit_key(user))
    with transaction.atomic():
        _delete_devices(user)
        record_event(actor=user, action="twofactor.removed", obj=user, request=request)


def reset_second_factor(*, actor, person, reason, request):
    """Another organiser resets a person's lost device: every device and backup code of `person` goes, every session
    of theirs ends (one left open on the stolen phone or laptop must neither go on nor enrol a new authenticator
    without the password), they sign in with the password and enrol again; they get an email."""
    if not can_reset_second_factor(actor, person):
        raise Refused(
            _(
                "Anda tidak dapat mengatur ulang verifikasi dua langkah orang ini. Perangkat Anda sendiri diatur "
                "ulang oleh penyelenggara lain."
            )
        )
    reason = " ".join(str(reason or "").split())
    if len(reason) < 5:
        raise Invalid(_("Tuliskan alasan pengaturan ulang (paling sedikit 5 huruf), misalnya: ponsel hilang."))
    with transaction.atomic():
        had_device = TOTPDevice.objects.filter(user=person).exists()
        _delete_devices(person)
        # whoever knows the old password (the thief of the phone, of the laptop) must not be the one who enrols
        # next: the password goes too, and the owner sets a new one through the link mailed to their address
        person.set_unusable_password()
        person.save(update_fields=["password"])
        sessions_ended = end_sessions_of(person, keep=request.session.session_key if person == actor else None)
        record_event(
            actor=actor,
            action="twofactor.reset",
            obj=person,
            details={"reason": reason[:500], "had_device": had_device, "sessions_ended": sessions_ended},
            request=request,
        )
    send_templated_mail(
        to=person.email,
        template="kipp/twofactor/email/reset",
        context={"user": person, "by": actor, "reason": reason, "link": _new_password_link(person, request)},
        language=person.language,
        request=request,
        kind=NotificationKind.TWO_FACTOR,
        user=person,
    )


def _new_password_link(person, request):
    """The link where the owner sets a new password (Django's password reset token: it works once, and expires)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "kipp:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return absolute_url(path, request)
