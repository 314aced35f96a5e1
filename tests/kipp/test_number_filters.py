"""kipp_numbers: decimals as people read them, percentages that never round up to 100 or down to 0."""

from decimal import Decimal

import pytest
from django.utils import translation

from kipp.templatetags.kipp_numbers import plain_number
from kipp.templatetags.kipp_numbers import progress_percent_filter as progress_percent


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (Decimal("34.5000"), "34,5", "34.5"),
        (Decimal("30.000"), "30", "30"),
        (Decimal("7.80"), "7,8", "7.8"),
        (Decimal("-22.50"), "-22,5", "-22.5"),
        (Decimal("0.125"), "0,125", "0.125"),
        (Decimal("1E+1"), "10", "10"),
        (12, "12", "12"),
        (None, "", ""),
    ],
)
def test_plain_number_drops_trailing_zeros_in_the_language(value, indonesian, english):
    with translation.override("id"):
        assert plain_number(value) == indonesian
    with translation.override("en"):
        assert plain_number(value) == english


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [(299, 300, 99), (300, 300, 100), (1, 300, 1), (0, 300, 0), (150, 300, 50), (0, 0, 0), (2, 3, 67)],
)
def test_progress_percent_is_100_or_0_only_when_exact(done, total, percent):
    assert progress_percent(done, total) == percent
