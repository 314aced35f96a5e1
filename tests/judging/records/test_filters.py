"""The catalogue's filters, parsed once (judging/records/filters.py) for the page /inovasi/ (lenient) and the API
/api/v1/records/ (strict: 400)."""

import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from judging.records.filters import FilterError, catalogue_filters


def _params(query):
    return QueryDict(query)


def test_lenient_parse_keeps_good_values_and_drops_bad_ones():
    assert catalogue_filters(
        _params("q=+putus+sekolah+&region=12&agency=7&year=2023&category=kesehatan&stage=pelembagaan&outcome=final")
    ) == {
        "q": "putus sekolah",
        "region": 12,
        "agency": 7,
        "year": 2023,
        "category": "kesehatan",
        "stage": "pelembagaan",
        "outcome": "final",
    }
    assert catalogue_filters(_params("region=abc&agency=0&year=-1&stage=nope&outcome=x&digital=maybe&status=x")) == {}
    assert catalogue_filters(_params("q=" + "x" * 250))["q"] == "x" * 200
    assert catalogue_filters(_params("category=" + "k" * 80))["category"] == "k" * 60


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("yes", True), ("0", False), ("false", False), ("no", False)],
)
def test_lenient_digital_spellings(value, expected):
    assert catalogue_filters(_params(f"digital={value}")) == {"digital": expected}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=abc", "region must be an integer"),
        ("region=", "region must be an integer"),
        ("agency=0", "agency must be at least 1"),
        ("year=-1", "year must be at least 1"),
        ("stage=nope", "stage must be one of penciptaan, pengembangan, pelembagaan"),
        ("stage=", "stage must be one of penciptaan, pengembangan, pelembagaan"),
        ("outcome=x", "outcome must be one of final, round"),
        ("digital=1", "digital must be one of true, false"),
        ("status=x", "status must be one of running, stopped"),
        ("q=" + "x" * 201, "q is at most 200 characters"),
    ],
)
def test_strict_parse_refuses_what_the_page_would_drop(query, message):
    with pytest.raises(FilterError) as error:
        catalogue_filters(_params(query), strict=True)
    assert str(error.value) == message


def test_strict_and_lenient_agree_on_good_values():
    query = _params("q=sapa&region=1&year=2023&stage=penciptaan&outcome=round&digital=false&status=running")
    assert catalogue_filters(query, strict=True) == catalogue_filters(query)
    assert catalogue_filters(_params(""), strict=True) == {}


@pytest.mark.django_db
def test_the_page_drops_and_the_api_refuses_the_same_bad_value(client):
    from tests.judging.records.helpers import published_world

    published_world()
    page = client.get(reverse("records:catalogue"), {"stage": "nope", "q": "putus sekolah"})
    assert page.status_code == 200
    assert "Sapa Masyarakat" in page.content.decode()
    api = client.get(reverse("api:records"), {"stage": "nope", "q": "putus sekolah"})
    assert api.status_code == 400
    assert json.loads(api.content) == {"error": "stage must be one of penciptaan, pengembangan, pelembagaan"}
    good = json.loads(client.get(reverse("api:records"), {"stage": "pelembagaan", "q": "putus sekolah"}).content)
    assert [r["slug"] for r in good["results"]] == ["sapa-masyarakat-sekitar-sms"]
