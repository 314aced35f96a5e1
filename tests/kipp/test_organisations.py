"""Organisations (issue 13, items 1 and 6): the level matches the area (in the database), every competition has
one, the portal's home groups open calls by organisation, an organisation's home shows its open calls, published
announcements and records (nothing unpublished, nothing of another organisation), and the catalogue and the API
filter by province and organisation; list pages keep their query count with 1 and with 10 organisations."""

import datetime

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.publication import services as pub
from kipp.errors import Invalid
from kipp.models import Competition, Organisation, Province
from kipp.organisations.services import create_organisation
from tests.factories import CompetitionFactory, region
from tests.judging.publication.helpers import text_fields
from tests.judging.records.helpers import published_world
from tests.pages import page_body

pytestmark = pytest.mark.django_db


def _national(slug="kemenpanrb", name="Kedeputian Bidang Pelayanan Publik KemenPANRB"):
    return create_organisation(actor=None, level="nasional", name=name, slug=slug, city="Jakarta")


@pytest.mark.parametrize(
    ("level", "area"),
    [
        ("nasional", "province"),
        ("nasional", "region"),
        ("provinsi", None),
        ("provinsi", "region"),
        ("kabupaten", None),
        ("kabupaten", "province"),
        ("kecamatan", None),
    ],
)
def test_the_database_refuses_an_area_that_does_not_match_the_level(level, area):
    values = {"province": Province.objects.get(code="73")} if area == "province" else {}
    if area == "region":
        values = {"region": region("73.04")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(level=level, name="Organisasi", slug="organisasi", **values)


def test_each_level_with_its_area_is_accepted_and_the_service_refuses_a_mismatch():
    _national()
    create_organisation(
        actor=None, level="provinsi", province=Province.objects.get(code="73"), name="Biro Sulsel", slug="sulsel"
    )
    create_organisation(actor=None, level="kabupaten", region=region("73.04"), name="Bagian Jeneponto", slug="jp")
    with pytest.raises(Invalid):
        create_organisation(actor=None, level="kabupaten", name="Tanpa daerah", slug="tanpa")
    assert set(Organisation.objects.values_list("slug", "level")) == {
        ("kemenpanrb", "nasional"),
        ("sulsel", "provinsi"),
        ("jp", "kabupaten"),
    }


def test_a_competition_without_an_organisation_is_refused_by_the_database():
    competition = CompetitionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Competition.objects.filter(pk=competition.pk).update(organisation=None)


def test_the_home_page_lists_every_organisations_open_calls_under_its_name(client):
    sulsel = CompetitionFactory(name="KIPP Sulsel 2027").organisation
    national = _national()
    CompetitionFactory(name="KIPP Nasional 2027", organisation=national)
    CompetitionFactory(name="KIPP Tertutup", closes_at=timezone.now() - datetime.timedelta(days=1))
    body = page_body(client.get("/"))
    # by organisation name (Biro ... before Kedeputian ...), each call under its organisation
    assert body.index(sulsel.name) < body.index("KIPP Sulsel 2027") < body.index(national.name)
    assert body.index(national.name) < body.index("KIPP Nasional 2027")
    assert "KIPP Tertutup" not in body
    assert reverse("kipp:organisation", args=[national.slug]) in body


def test_an_organisations_home_shows_its_open_calls_published_announcements_and_records_only(client):
    world = published_world()
    organisation = world["round"].competition.organisation
    a, b = world["organisers"]
    CompetitionFactory(name="KIPP Sulsel 2027", organisation=organisation)
    draft_round = world["next_round"]
    # an announcement of another round, prepared but not approved: never on the page
    draft_round.state = "closed"
    draft_round.save(update_fields=["state"])
    pub.prepare_announcement(
        round_=draft_round,
        actor=a,
        acknowledge_few_judges=True,
        **text_fields(number="999/DRAF", title="Draf rahasia"),
    )
    other = _national()
    CompetitionFactory(name="KIPP Nasional 2027", organisation=other)

    body = page_body(client.get(reverse("kipp:organisation", args=[organisation.slug])))
    assert organisation.name in body and "KIPP Sulsel 2027" in body
    assert world["announcement"].title in body and world["announcement"].number in body
    assert "Sapa Masyarakat Sekitar (SMS)" in body  # its innovation record
    assert "999/DRAF" not in body and "Draf rahasia" not in body
    assert "KIPP Nasional 2027" not in body

    other_body = page_body(client.get(reverse("kipp:organisation", args=[other.slug])))
    assert "KIPP Nasional 2027" in other_body
    assert world["announcement"].number not in other_body and "Sapa Masyarakat" not in other_body
    assert client.get(reverse("kipp:organisation", args=["tidak-ada"])).status_code == 404


def _count(client, url):
    cache.clear()  # the catalogue's filter lists are cached: count what a page costs when they are not
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _more_organisations(n):
    for i in range(n):
        organisation = _national(slug=f"organisasi-{i}", name=f"Organisasi {i}")
        CompetitionFactory(organisation=organisation)


def test_list_pages_keep_their_query_count_with_one_and_with_ten_organisations(client):
    world = published_world()
    slug = world["round"].competition.organisation.slug
    urls = [
        "/",
        reverse("kipp:organisation", args=[slug]),
        reverse("records:catalogue"),
        reverse("records:catalogue") + f"?organisation={slug}",
        reverse("api:records") + f"?organisation={slug}",
        reverse("api:announcements") + f"?organisation={slug}",
    ]
    one = [_count(client, url) for url in urls]
    _more_organisations(9)
    assert Organisation.objects.count() == 10
    assert [_count(client, url) for url in urls] == one


def test_the_catalogue_and_the_api_filter_by_organisation_and_province(client):
    world = published_world()
    organisation = world["round"].competition.organisation
    province = Province.objects.get(code="73")
    titles = {r.title for r in world["records"].values()}
    assert titles

    def page_titles(query):
        response = client.get(reverse("records:catalogue") + query)
        return {r.title for r in response.context["records"]}

    def api_titles(query):
        response = client.get(reverse("api:records") + query)
        assert response.status_code == 200, response.content
        return {r["title"] for r in response.json()["results"]}

    assert page_titles(f"?organisation={organisation.slug}") == titles
    assert api_titles(f"?organisation={organisation.slug}") == titles
    assert page_titles(f"?province={province.code}") == titles
    assert api_titles(f"?province={province.code}") == titles
    other = _national()
    other_province = Province.objects.get(code="35")  # Jawa Timur, loaded with every area (kipp/areas)
    for query in (f"?organisation={other.slug}", f"?province={other_province.code}"):
        assert page_titles(query) == set() and api_titles(query) == set()
    # the page offers both filters, from public records only
    choices = client.get(reverse("records:catalogue")).context["choices"]
    assert [o.slug for o in choices["organisations"]] == [organisation.slug]
    assert [p.code for p in choices["provinces"]] == ["73"]
    # the API is strict about what the page drops
    bad = client.get(reverse("api:records") + "?organisation=bukan%20slug")
    assert bad.status_code == 400 and "organisation" in bad.json()["error"]


def test_the_api_lists_announcements_of_one_organisation_with_its_name(client):
    world = published_world()
    organisation = world["round"].competition.organisation
    mine = client.get(reverse("api:announcements") + f"?organisation={organisation.slug}").json()["results"]
    assert [a["number"] for a in mine] == [world["announcement"].number]
    assert mine[0]["organisation"] == organisation.slug and mine[0]["organisation_name"] == organisation.name
    other = _national()
    assert client.get(reverse("api:announcements") + f"?organisation={other.slug}").json()["results"] == []
    province = Province.objects.get(code="73")
    competition = world["round"].competition
    competition.province = province
    competition.save(update_fields=["province"])
    by_province = client.get(reverse("api:announcements") + f"?province={province.code}").json()["results"]
    assert [a["number"] for a in by_province] == [world["announcement"].number]
    document = client.get(reverse("api:openapi")).json()
    parameters = {p["name"] for p in document["paths"]["/records/"]["get"]["parameters"]}
    assert {"organisation", "province"} <= parameters
    parameters = {p["name"] for p in document["paths"]["/announcements/"]["get"]["parameters"]}
    assert {"organisation", "province"} <= parameters


def test_a_new_competition_is_created_for_the_chosen_organisation(client):
    from kipp.organisations.models import Membership
    from tests.factories import OrganiserFactory

    national = _national()
    organiser = OrganiserFactory()  # organises the province and, below, the national organisation too
    Membership.objects.create(user=organiser, organisation=national, kind="organiser")
    client.force_login(organiser)
    page = client.get(reverse("kipp:competition_create"))
    assert national.name in page_body(page)
    response = client.post(
        reverse("kipp:competition_create"),
        {
            "name": "KIPP Nasional 2030",
            "slug": "kipp-nasional-2030",
            "year": "2030",
            "organisation": national.pk,
            "code_prefix": "NAS-2030",
            "groups": ["umum"],
            "opens_at": "2030-01-10T08:00",
            "closes_at": "2030-03-31T23:59",
            "minimum_age_months": "24",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert Competition.objects.get(slug="kipp-nasional-2030").organisation == national


def test_the_organisers_competition_list_names_each_organisation_in_the_same_queries(client):
    from tests.factories import OrganiserFactory

    CompetitionFactory(name="KIPP Sulsel 2027")
    client.force_login(OrganiserFactory(is_superuser=True))  # the portal administrator sees every organisation's
    url = reverse("kipp:competitions")
    one = _count(client, url)
    _more_organisations(9)
    assert _count(client, url) == one
    body = page_body(client.get(url))
    assert "Organisasi 8" in body and reverse("kipp:organisation_letterhead", args=["organisasi-8"]) in body
