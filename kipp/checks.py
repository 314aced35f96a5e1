"""System checks of kipp (registered in KippConfig.ready)."""

from django.conf import settings
from django.core.checks import Info, Tags, register

MIN_SECRET_KEY_LENGTH = 50


@register(Tags.security, deploy=True)
def check_secret_key_strength(app_configs=None, **kwargs):
    """Stands in for Django's security.W009, which settings.py silences (see the comment there): the operator
    still sees a short key in `check --deploy`, as information rather than a warning."""
    key = settings.SECRET_KEY or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5 or key.startswith("django-insecure-"):
        return [
            Info(
                "SECRET_KEY is short or simple; generate a long random one, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
                id="kipp.I001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """Mail, PDFs and jobs build their links from SITE_URL (outside a request there is no address to use): a
    production portal left at the development default sends everyone links to 127.0.0.1."""
    from django.core.checks import Warning as CheckWarning

    if not getattr(settings, "DEVELOPMENT", False) and settings.SITE_URL.startswith(
        ("http://127.0.0.1", "http://localhost")
    ):
        return [
            CheckWarning(
                f"SITE_URL is {settings.SITE_URL!r}: mails and PDFs will link there. Set SITE_URL to the portal's "
                "public address, e.g. https://kipp.sulselprov.go.id.",
                id="kipp.W001",
            )
        ]
    return []
