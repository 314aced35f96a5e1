"""Plain-text emails rendered from templates, in the recipient's language, with links built from SITE_URL.

Other layers send their notifications the same way:

    send_templated_mail(to=user.email, template="entries/email/returned", context={...}, language=user.language)

renders `<template>_subject.txt` (one line) and `<template>.txt`; the context gets `site_url`.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    """A link for an email: SITE_URL + a path from reverse()."""
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(*, to, template, context, language=None):
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    recipients = [to] if isinstance(to, str) else list(to)
    return send_mail(subject, body, None, recipients)
