"""The marker of a page the judge's device may keep for offline use (static/js/offline/: the service worker keeps a
page only when it carries this marker, in the cache of the person it names)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from judging.scoring.offline.answers import user_key

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_marker(context):
    """<meta name="kipp-offline" content="<person's key>" data-worker="/sw.js" data-home="/penilaian/saya/"> for a
    signed-in person, else nothing. Only the templates of a judge's own pages (their rounds, queue, own sheet, field
    index and own checklist) call it; each asks the device to keep "Penilaian saya" too (the offline page's link)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return format_html(
        '<meta name="kipp-offline" content="{}" data-worker="{}" data-home="{}">',
        user_key(user),
        reverse("offline:service_worker"),
        reverse("judging:my_rounds"),
    )
