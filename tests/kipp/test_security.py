"""Security baseline: login throttling, Content Security Policy without inline code, append-only audit log."""

import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kipp.models import AuditEvent
from kipp.services import record_event
from tests.factories import PASSWORD, InnovatorFactory, OrganiserFactory, VerifierFactory

pytestmark = pytest.mark.django_db


def test_login_is_locked_after_the_failure_limit_with_a_clear_message(client, settings):
    user = InnovatorFactory(email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("kipp:login"), {"username": user.email, "password": "bukan-ini-123"})
        assert response.status_code == 200
        assert "Email atau kata sandi salah" in response.content.decode()
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": "bukan-ini-123"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert f"{settings.AXES_FAILURE_LIMIT} kali gagal masuk" in html
    assert "15 menit" in html
    # even the right password is refused while locked
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    locked = AuditEvent.objects.filter(action="account.locked_out")
    assert locked.count() == 2  # when the lock starts, and the attempt during the lock
    assert locked.first().details == {"email": "target@example.org"}


def test_lock_is_per_account_and_address(client, settings):
    locked = InnovatorFactory(email="locked@example.org")
    other = InnovatorFactory(email="other@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("kipp:login"), {"username": locked.email, "password": "bukan-ini-123"})
    response = client.post(reverse("kipp:login"), {"username": other.email, "password": PASSWORD})
    assert response.status_code == 302


def test_successful_login_resets_the_failure_count(client, settings):
    user = InnovatorFactory(email="careless@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("kipp:login"), {"username": user.email, "password": "bukan-ini-123"})
    assert client.post(reverse("kipp:login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    client.post(reverse("kipp:logout"))
    response = client.post(reverse("kipp:login"), {"username": user.email, "password": "bukan-ini-123"})
    assert response.status_code == 200


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=\"", re.IGNORECASE)


def _assert_no_inline_code(html, where):
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {where}"
    assert not INLINE_STYLE.search(html), f"inline style on {where}"
    assert not EVENT_HANDLER.search(html), f"inline event handler on {where}"


def test_public_pages_have_no_inline_script_or_style(client):
    for name in ("kipp:home", "kipp:login", "kipp:signup", "kipp:password_reset", "kipp:signup_done"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        _assert_no_inline_code(response.content.decode(), name)
    _assert_no_inline_code(client.get("/tidak-ada/").content.decode(), "404")
    response = client.get(reverse("kipp:verify_email", kwargs={"token": "rusak"}))
    _assert_no_inline_code(response.content.decode(), "verify_failed")


def test_signed_in_pages_have_no_inline_script_or_style(client):
    client.force_login(OrganiserFactory())
    for name in (
        "kipp:dashboard",
        "kipp:profile",
        "kipp:invite",
        "kipp:password_change",
        "kipp:competitions",
        "kipp:competition_create",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        _assert_no_inline_code(response.content.decode(), name)
    client.force_login(VerifierFactory())
    _assert_no_inline_code(client.get(reverse("kipp:invite")).content.decode(), "403")


def test_lockout_page_has_no_inline_code(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("kipp:login"), {"username": "x@example.org", "password": "bukan-ini-123"})
    assert response.status_code == 429
    _assert_no_inline_code(response.content.decode(), "lockout")


def test_audit_log_refuses_update_and_delete_in_the_database():
    event = record_event(actor=None, action="test.recorded", details={"n": 1})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM kipp_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.recorded"


def test_audit_events_refuse_changes_in_python_too():
    event = record_event(actor=None, action="test.recorded")
    event.action = "test.changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_record_event_keeps_actor_object_and_address(rf):
    user = InnovatorFactory()
    request = rf.post("/", REMOTE_ADDR="10.1.2.3")
    event = record_event(actor=user, action="test.done", obj=user.agency, details={"a": 1}, request=request)
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.object_repr, event.details, event.ip_address) == (
        user,
        str(user),
        str(user.agency),
        {"a": 1},
        "10.1.2.3",
    )


def test_audit_admin_is_read_only_for_administrators_and_closed_to_organisers(client):
    event = record_event(actor=None, action="test.recorded")
    client.force_login(OrganiserFactory())
    assert client.get(reverse("admin:kipp_auditevent_changelist")).status_code == 302  # to the admin's login
    client.force_login(OrganiserFactory(is_superuser=True))
    assert client.get(reverse("admin:kipp_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:kipp_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:kipp_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
