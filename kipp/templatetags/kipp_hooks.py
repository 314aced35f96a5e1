"""What the higher layers give a lower layer's template through kipp.hooks: `{% load kipp_hooks %}`.

`{% entry_badges entries as badges %}` then `{{ badges|get_item:entry.pk }}`: the latest public outcome of each
entry (hook "entry_badges"), in one query for the whole list; None where there is none."""

from django import template

from kipp import hooks

register = template.Library()


@register.simple_tag
def entry_badges(entries):
    entries = list(entries)
    return hooks.collect_mapping("entry_badges", entries) if entries else {}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
