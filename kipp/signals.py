"""Audit log entries for logins and logouts (Django's auth signals), connected in KippConfig.ready()."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kipp import login_throttle
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
    if request is not None and getattr(request, "kipp_password_compared", False):
        # a wrong password (not an attempt refused by a lock): counts towards the address and account locks
        lock = login_throttle.record_failure(request, email)  # a lock that starts is audited there
        if lock is not None:
            request.kipp_login_lock = lock
            request.axes_locked_out = True  # this attempt already gets the lockout page
    elif getattr(request, "kipp_login_lock", None) is not None:  # refused by a lock of kipp.login_throttle
        lock = request.kipp_login_lock
        record_event(
            actor=None, action="account.locked_out", details={"email": email, "lock": lock.kind}, request=request
        )


@receiver(user_locked_out, dispatch_uid="kipp.audit.locked_out")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes refused a login (the failure limit was reached, or an attempt came during the lock). The locks of
    kipp.login_throttle are audited in _login_failed and login_throttle._start_lock."""
    if getattr(request, "kipp_login_lock", None) is not None:
        return
    record_event(
        actor=None,
        action="account.locked_out",
        details={"email": str(username or "")[:254]},
        request=request,
        ip_address=ip_address,
    )
