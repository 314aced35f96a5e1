"""Signed links in emails: email verification (django.core.signing) and invitations (a token that dies once the
invited person sets a password, like Django's password-reset token, but valid for INVITATION_MAX_AGE)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

EMAIL_VERIFICATION_SALT = "kipp.accounts.verify-email"


class VerificationLinkInvalid(Exception):
    """The link was tampered with or is not one of ours."""


class VerificationLinkExpired(Exception):
    """The link is genuine but older than EMAIL_VERIFICATION_MAX_AGE; `email` says for whom."""

    def __init__(self, email):
        super().__init__(email)
        self.email = email


def make_email_verification_token(user):
    return signing.dumps({"uid": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT, compress=True)


def read_email_verification_token(token):
    """Return (user_id, email) or raise VerificationLinkExpired / VerificationLinkInvalid."""
    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT)  # the signature is good: it is only too old
        raise VerificationLinkExpired(data.get("email", "")) from None
    except signing.BadSignature:
        raise VerificationLinkInvalid() from None
    if not isinstance(data, dict) or "uid" not in data or "email" not in data:
        raise VerificationLinkInvalid()
    return data["uid"], data["email"]


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Set-password link of an invitation. The hash covers the (unusable) password, so it is single-use and a
    re-sent invitation voids the earlier link. Valid for settings.INVITATION_MAX_AGE seconds."""

    key_salt = "kipp.accounts.invitation"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.INVITATION_MAX_AGE


invitation_token_generator = InvitationTokenGenerator()
