"""Numbers as people read them: `{% load kipp_numbers %}`.

- `plain_number`: a decimal without trailing zeros in the page's language (34.5000 -> "34,5" in Indonesian,
  "34.5" in English; 30.000 -> "30"), never "30,000" that reads like thirty thousand.
- `progress_percent`: a share as a whole percentage that never shows 100 (or 0) unless it is exactly that
  (299 of 300 is 99, 1 of 300 is 1).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from kipp.numbers import plain_decimal, progress_percent

register = template.Library()


def _as_decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


@register.filter
def plain_number(value):
    """The value in the active language's decimal separator, without trailing zeros; "" for no value."""
    number = _as_decimal(value)
    if number is None or not number.is_finite():
        return "" if value is None else value
    return number_format(plain_decimal(number), use_l10n=True)


@register.filter(name="progress_percent")
def progress_percent_filter(done, total):
    """done/total as a whole percentage (kipp.numbers.progress_percent); "" for values that are not numbers."""
    try:
        return progress_percent(int(done), int(total))
    except (TypeError, ValueError):
        return ""
