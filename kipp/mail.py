"""The one place that builds and sends an email: plain text rendered from templates, in the recipient's language,
with links built by absolute_url().

Every notification of every app is a small function that calls one of these:

    send_templated_mail(to=user.email, template="entries/email/returned", context={...}, language=user.language,
                        request=request)

renders `<template>_subject.txt` (one line) and `<template>.txt`; the context gets `site_url`. Where one event
mails many people (each in their own language, no address shared), build one message per person with
`templated_message(...)` and send them together over one connection with `send_templated_mails(messages)`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection, send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


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


def _rendered(template, context, language, request):
    """(subject, body) of `<template>_subject.txt` and `<template>.txt`, in `language` (default: the site's)."""
    context = {"site_url": site_url(request), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def _recipients(to):
    return [to] if isinstance(to, str) else list(to)


def send_templated_mail(*, to, template, context, language=None, request=None):
    subject, body = _rendered(template, context, language, request)
    return send_mail(subject, body, None, _recipients(to))


def templated_message(*, to, template, context, language=None, request=None):
    """One message, not sent yet, rendered like send_templated_mail (for send_templated_mails)."""
    subject, body = _rendered(template, context, language, request)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(to))


def send_templated_mails(messages, *, fail_silently=True):
    """Send the messages of templated_message() over one connection; returns how many were sent. By default a
    mail server that is down does not undo the change that caused the messages (the notifications of entries and
    publication have always been sent that way)."""
    messages = list(messages)
    if not messages:
        return 0
    return get_connection(fail_silently=fail_silently).send_messages(messages) or 0


def send_password_reset_mail(*, subject_template, body_template, context, from_email, to, html_template=None):
    """Django's password reset email, as django.contrib.auth.forms.PasswordResetForm.send_mail builds it (subject
    on one line, optional HTML alternative, a failure logged and not shown, so that nobody learns whether an address
    has an account), in the language of the request."""
    subject = "".join(render_to_string(subject_template, context).splitlines())
    body = render_to_string(body_template, context)
    message = EmailMultiAlternatives(subject, body, from_email, [to])
    if html_template is not None:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Failed to send password reset email to %s", context["user"].pk)
