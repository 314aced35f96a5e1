"""Plain-text emails rendered from templates, in the recipient's language, with links built by absolute_url().

Other layers send their notifications the same way:

    send_templated_mail(to=user.email, template="entries/email/returned", context={...}, language=user.language,
                        request=request)

renders `<template>_subject.txt` (one line) and `<template>.txt`; the context gets `site_url`.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


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


def send_templated_mail(*, to, template, context, language=None, request=None):
    context = {"site_url": site_url(request), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    recipients = [to] if isinstance(to, str) else list(to)
    return send_mail(subject, body, None, recipients)
