"""When a session owes a second factor. Read by the middleware, the admin site and the views alike."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from kipp.permissions import is_judge, is_organiser, is_verifier

REQUIRED = "required"


def must_enrol(user):
    """The setting makes this person enrol: organisers and portal administrators with STAFF_2FA=required, judges
    and regional verifiers with JUDGE_2FA=required."""
    if is_organiser(user):
        return settings.STAFF_2FA == REQUIRED
    if is_judge(user) or is_verifier(user):
        return settings.JUDGE_2FA == REQUIRED
    return False


def has_device(user):
    """The person has enrolled an authenticator app (a confirmed TOTP device); backup codes come with it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user):
    """This session gave a code (django-otp's OTPMiddleware sets otp_device from the session)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "otp_device", None) is not None)


def owed_step(user):
    """What a signed-in session must do before any other page: "verify" (a device exists, no code given in this
    session), "enrol" (the setting requires a device and there is none), or None."""
    if not getattr(user, "is_authenticated", False) or is_verified(user):
        return None
    enrolled = getattr(user, "has_confirmed_authenticator", None)  # read with the user (kipp.auth.EmailBackend)
    if enrolled if enrolled is not None else has_device(user):
        return "verify"
    if must_enrol(user):
        return "enrol"
    return None
