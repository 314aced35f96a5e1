"""Audit log entries for logins and logouts (Django's auth signals), connected in KippConfig.ready()."""

from axes.signals import user_locked_out
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


@receiver(user_locked_out, dispatch_uid="kipp.audit.locked_out")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes refused a login (the failure limit was reached, or an attempt came during the lock)."""
    record_event(
        actor=None,
        action="account.locked_out",
        details={"email": str(username or "")[:254]},
        request=request,
        ip_address=ip_address,
    )
