"""Numbers as people read them, one rule each, for templates (kipp/templatetags/kipp_numbers.py), forms and
queries alike."""

from decimal import Decimal

from django.template.defaultfilters import floatformat


def plain_decimal(value):
    """34.5000 -> 34.5 and 12.0000 -> 12 (never 1.2E+1), for showing a stored value in a form."""
    if not isinstance(value, Decimal):
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def progress_percent(done, total):
    """done/total as a whole percentage, rounded, but 100 only when done == total and 0 only when done is 0
    (299 of 300 is 99, 1 of 300 is 1)."""
    if total <= 0:
        return 0
    if done >= total:
        return 100
    if done <= 0:
        return 0
    return min(max(round(done * 100 / total), 1), 99)


def total_text(value, decimals=2):
    """A total as the tables show it (the `floatformat` filter: rounded half up, in the user's locale), for messages
    written in Python: 55.5556 -> "55,56" in Indonesian, never "55,55"."""
    return floatformat(value, decimals)
