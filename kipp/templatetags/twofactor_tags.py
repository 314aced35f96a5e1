"""{% twofactor_section %}: the profile page's section on two-factor sign-in (kipp/twofactor/)."""

from django import template

from kipp.permissions import is_organiser
from kipp.twofactor.policy import has_device, is_verified
from kipp.twofactor.services import backup_codes_left

register = template.Library()


@register.inclusion_tag("kipp/twofactor/_profile_section.html", takes_context=True)
def twofactor_section(context):
    user = context["request"].user
    enrolled = has_device(user)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "twofactor": {
            "enrolled": enrolled,
            "backup_codes_left": backup_codes_left(user) if enrolled else 0,
            "can_reset_others": is_organiser(user) and is_verified(user),
        },
    }
