"""Audit log entries for logins and logouts (Django's auth signals), connected in KippConfig.ready()."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kipp.services import record_event


@receiver(user_logged_in, dispatch_uid="kipp.audit.login")
def _logged_in(sender, request, user, **kwargs):
    record_event(actor=user, action="account.logged_in", obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="kipp.audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action="account.logged_out", obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="kipp.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record_event(actor=None, action="account.login_failed", details={"email": email}, request=request)
