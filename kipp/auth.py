from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router
from django_otp.plugins.otp_totp.models import TOTPDevice

from kipp.db import execute_prepared
from kipp.organisations.models import Membership


class EmailBackend(ModelBackend):
    """Log in by email address, case-insensitively; refused, before the password is compared, while the client's
    address or the account is locked (kipp.login_throttle)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if not email or password is None:
            return None
        if request is not None:
            from kipp import login_throttle

            lock = login_throttle.active_lock(request, email)
            if lock is not None:
                # django-axes' flag: its failure handler then records no failure and sends user_locked_out, and its
                # middleware answers with the lockout page (kipp.views_accounts.lockout), which reads the lock
                request.axes_locked_out = True
                request.kipp_login_lock = lock
                raise PermissionDenied("locked")
            request.kipp_password_compared = True  # a failure from here on counts (kipp.signals)
        User = get_user_model()
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            User().set_password(password)  # same work either way: no timing hint that the address exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request (what ModelBackend.get_user does), read by a prepared statement: every
        signed-in request makes this lookup (kipp/db.py)."""
        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(User)
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = User._meta.concrete_fields
        devices = quote(TOTPDevice._meta.db_table)
        # whether the person has enrolled an authenticator, in the same statement: the two-factor middleware asks
        # it on every signed-in request (kipp.twofactor.policy.owed_step)
        pk = quote(User._meta.pk.column)
        # ... and the person's accepted memberships, which every predicate reads (kipp.permissions.memberships): a
        # page, an error page during an outage included, then needs no second statement for them
        sql = (
            f"SELECT {', '.join('u.' + quote(f.column) for f in fields)}, "  # noqa: S608 - names from model meta
            f"EXISTS (SELECT 1 FROM {devices} d WHERE d.user_id = u.{pk} AND d.confirmed), "
            f"ARRAY(SELECT m.organisation_id || ':' || m.kind || ':' || coalesce(m.region_id::text, '') "
            f"FROM {quote(Membership._meta.db_table)} m WHERE m.user_id = u.{pk} AND m.accepted_at IS NOT NULL "
            f"ORDER BY m.id) "
            f"FROM {quote(User._meta.db_table)} u WHERE u.{pk} = %s"
        )
        with connection.cursor() as cursor:
            execute_prepared(connection, cursor, sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = User.from_db(alias, [f.attname for f in fields], row[:-2])
        user.has_confirmed_authenticator = bool(row[-2])
        user._kipp_memberships = tuple(_membership(text) for text in row[-1])
        return user if self.user_can_authenticate(user) else None


def _membership(text):
    organisation_id, kind, region_id = text.split(":")
    return int(organisation_id), kind, int(region_id) if region_id else None


def axes_username(request, credentials):
    """The login name django-axes counts failures against: the email as the portal compares it (trimmed, lower
    case), so Upper@... and upper@... share one allowance of attempts."""
    if credentials:
        value = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return (value or "").strip().lower() or None
