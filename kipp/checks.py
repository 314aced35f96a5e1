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
