"""The one place that builds and sends an email: plain text rendered from templates, in the recipient's language,
with links built by absolute_url().

Every notification of every app is a small function that calls one of these:

    send_templated_mail(to=user.email, template="entries/email/returned", context={...}, language=user.language,
                        request=request, kind=NotificationKind.ENTRY_RETURNED, competition=..., key=...)

Nothing is sent in the caller's request: each mail becomes a row of the outbox (kipp.outbox.models.Notification),
written with the task-queue job that sends it **in the caller's transaction** (procrastinate's Django connector
writes the job through Django's connection), so a change that is rolled back mails nobody and a committed one is
never lost, and a mail server that is down never fails a request. The worker (kipp.outbox.tasks) renders
`<template>_subject.txt` (one line) and `<template>.txt` at send time, in the recipient's language; the context
therefore holds ids and plain values only (kipp.outbox.context: model instances are stored as references and loaded
again). Where one event mails many people, build one notification per person with `templated_message(...)` and
queue them together with `send_templated_mails(messages)` (one INSERT, a few jobs).
"""

import contextlib
import json
import logging
import smtplib
import uuid
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation

from kipp.outbox import context as mail_context
from kipp.outbox.enums import NotificationKind

logger = logging.getLogger(__name__)

RESET_HTML_KEY = "$html_template"  # the context keys under which a password reset keeps its templates
RESET_SUBJECT_KEY = "$subject_template"
RESET_FROM_KEY = "$from_email"


def absolute_url(path, request=None):
    """An absolute link to a path from reverse(): on the address the request came to where there is a request
    (its host was checked against ALLOWED_HOSTS by Django: a forged Host is refused), from SITE_URL outside a
    request (mail sent by a job or a command)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def site_url(request=None):
    """The portal's address without a trailing slash (the `site_url` of mail templates)."""
    return absolute_url("/", request).rstrip("/")


def _recipients(to):
    return [to] if isinstance(to, str) else list(to)


@dataclass(slots=True)
class QueuedMail:
    """One mail to queue: the values of its outbox row (kipp.outbox.models.Notification), without a model instance
    (thousands of them are built in one request when an announcement goes public)."""

    address: str
    user_id: int | None
    language: str
    kind: str
    template: str
    context: dict  # JSON-able (kipp.outbox.context.to_json)
    competition_id: int | None
    subject_type_id: int | None
    subject_id: str
    idempotency_key: str


def _notification(*, to, template, context, language, request, kind, competition, key, user, about):
    context = {"site_url": site_url(request), **context}
    subject_type_id, subject_id = None, ""
    if about is not None:
        from django.contrib.contenttypes.models import ContentType

        subject_type_id = ContentType.objects.get_for_model(about, for_concrete_model=False).pk
        subject_id = str(about.pk)
    return QueuedMail(
        address=to,
        user_id=getattr(user, "pk", user) or None,
        language=language or "",
        kind=kind or NotificationKind.OTHER,
        template=template,
        context=mail_context.to_json(context),
        competition_id=getattr(competition, "pk", competition),
        subject_type_id=subject_type_id,
        subject_id=subject_id,
        idempotency_key=key or f"mail:{uuid.uuid4().hex}",
    )


def templated_message(
    *, to, template, context, language=None, request=None, kind=None, competition=None, key=None, user=None, about=None
):
    """One notification to one address, not queued yet (for send_templated_mails). `key` (unique, e.g.
    "outcome:<announcement>:<row>:<user>") makes sure the same mail is never queued twice; `competition` and `about`
    (the object the mail is about) file it on that competition's outbox page (`competition` may be an id)."""
    [address] = _recipients(to)
    return _notification(
        to=address,
        template=template,
        context=context,
        language=language,
        request=request,
        kind=kind,
        competition=competition,
        key=key,
        user=user,
        about=about,
    )


def send_templated_mail(
    *, to, template, context, language=None, request=None, kind=None, competition=None, key=None, user=None, about=None
):
    """Queue one mail (one notification per address of `to`); returns how many were queued."""
    addresses = _recipients(to)
    return send_templated_mails(
        _notification(
            to=address,
            template=template,
            context=context,
            language=language,
            request=request,
            kind=kind,
            competition=competition,
            key=f"{key}:{address}" if key and len(addresses) > 1 else key,
            user=user,
            about=about,
        )
        for address in addresses
    )


# One statement for all the rows, from one JSON document (one parameter: quoting thousands of JSON texts one by one
# as an array costs a second; one string costs nothing). Indexes and defaults as in kipp.outbox.models.
_INSERT = """
    INSERT INTO kipp_notification (address, user_id, language, kind, template, context, competition_id,
        subject_type_id, subject_id, idempotency_key, state, attempts, last_error, subject_line, created_at)
    SELECT t.address, t.user_id, t.language, t.kind, t.template, t.context, t.competition_id,
        t.subject_type_id, t.subject_id, t.idempotency_key, 'queued', 0, '', '', now()
    FROM jsonb_to_recordset(%s::jsonb) AS t(address varchar, user_id bigint, language varchar, kind varchar,
        template varchar, context jsonb, competition_id bigint, subject_type_id integer, subject_id varchar,
        idempotency_key varchar)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id
"""


_FIELDS = [field.name for field in fields(QueuedMail)]


def send_templated_mails(messages, *, fail_silently=True):
    """Queue the mails of templated_message() together: one INSERT of their outbox rows and one job per
    OUTBOX_BATCH_SIZE of them (one INSERT too), in the caller's transaction. Returns how many were queued: a mail
    whose key was queued before is not queued again. `fail_silently` is kept for the callers: queueing never talks to
    a mail server, so nothing can fail here but the database."""
    from kipp.outbox.queue import defer_sending

    messages = list(messages)
    if not messages:
        return 0
    document = json.dumps([{name: getattr(m, name) for name in _FIELDS} for m in messages], separators=(",", ":"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT, [document])
        ids = sorted(row[0] for row in cursor.fetchall())
        defer_sending(ids)
    return len(ids)


# ---- at send time (the worker) ----


def _render(template, context, language):
    """(subject, body) of `<template>_subject.txt` and `<template>.txt`, in `language` (default: the site's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def render_notification(notification, *, objects=None):
    """The message of a queued notification, rendered now in its language (raises MissingObject when an object it
    is about was deleted, a template error when the template is broken). `objects`: the instances its context
    names, loaded for a whole batch at once (kipp.outbox.context.preload); the others are loaded here."""
    context = mail_context.from_json(notification.context, objects)
    if notification.kind == NotificationKind.PASSWORD_RESET:
        return _password_reset_message(notification, context)
    subject, body = _render(notification.template, context, notification.language)
    return EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [notification.address], headers=_headers(notification)
    )


def _headers(notification):
    # The same Message-ID on every try: a mail client that got it twice (a crash between the mail server's "250"
    # and our commit, see kipp.outbox.services) shows it once.
    return {"Message-ID": f"<{notification.idempotency_key.replace(':', '.')}.{notification.pk}@kipp>"}


def open_connection():
    """One connection for a batch of sends, opened by the first deliver() and then kept open (Django's SMTP backend
    would otherwise connect, greet and quit once per message); errors are raised (the worker retries)."""
    return get_connection(fail_silently=False)


def _connect(connection):
    """Open the SMTP backend's connection if it is not open (other backends have nothing to open). True when it was
    open already."""
    if getattr(connection, "connection", True) is not None:
        return True
    connection.open()
    return False


def deliver(message, *, connection):
    """Hand one message to the mail server over the batch's connection; raises when it is not accepted. A server
    that closed a connection kept open is connected to again once; after any other error but a refused address
    the connection is closed (the next message opens a new one)."""
    reused = _connect(connection)
    try:
        try:
            connection.send_messages([message])
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            with contextlib.suppress(Exception):
                connection.close()
            _connect(connection)
            connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused:
        raise  # the server refused this address; the connection still serves the others
    except Exception:
        with contextlib.suppress(Exception):
            connection.close()
        raise


def send_password_reset_mail(*, subject_template, body_template, context, from_email, to, html_template=None):
    """Django's password reset email, as django.contrib.auth.forms.PasswordResetForm.send_mail builds it (subject
    on one line, optional HTML alternative), queued like every mail, in the language of the request. A mail server
    that is down fails no request, so nobody learns whether an address has an account."""
    user = context.get("user")
    queued = {
        **context,
        RESET_SUBJECT_KEY: subject_template,
        RESET_HTML_KEY: html_template or "",
        RESET_FROM_KEY: from_email or "",
    }
    send_templated_mails(
        [
            _notification(
                to=to,
                template=body_template,
                context=queued,
                language=translation.get_language(),
                request=None,
                kind=NotificationKind.PASSWORD_RESET,
                competition=None,
                key=None,
                user=user,
                about=None,
            )
        ]
    )


def _password_reset_message(notification, context):
    subject_template = context.pop(RESET_SUBJECT_KEY)
    html_template = context.pop(RESET_HTML_KEY)
    from_email = context.pop(RESET_FROM_KEY) or settings.DEFAULT_FROM_EMAIL
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(subject_template, context).splitlines())
        body = render_to_string(notification.template, context)
        html = render_to_string(html_template, context) if html_template else None
    message = EmailMultiAlternatives(subject, body, from_email, [notification.address], headers=_headers(notification))
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message
