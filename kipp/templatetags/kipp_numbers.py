"""Numbers as people read them: `{% load kipp_numbers %}`.

- `plain_number`: a decimal without trailing zeros in the page's language (34.5000 -> "34,5" in Indonesian,
  "34.5" in English; 30.000 -> "30"), never "30,000" that reads like thirty thousand.
- `progress_percent`: a share as a whole percentage that never shows 100 (or 0) unless it is exactly that
  (299 of 300 is 99, 1 of 300 is 1).
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def plain_decimal(value):
    """34.5000 -> 34.5 and 12.0000 -> 12 (never 1.2E+1), for showing a stored value in a form."""
    if not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


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


@register.filter
def progress_percent(done, total):
    """done/total as a whole percentage, rounded, but 100 only when done == total and 0 only when done is 0."""
    try:
        done, total = int(done), int(total)
    except (TypeError, ValueError):
        return ""
    if total <= 0:
        return 0
    if done >= total:
        return 100
    if done <= 0:
        return 0
    return min(max(round(done * 100 / total), 1), 99)
