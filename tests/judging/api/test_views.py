import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.api.schemas import MAX_PAGE_SIZE
from judging.publication import services as pub
from judging.publication.queries import public_rows
from tests.factories import AgencyFactory, InnovatorFactory, JudgeFactory, OrganiserFactory, VerifierFactory, region
from tests.judging.publication.helpers import text_fields
from tests.judging.records.helpers import published_world

pytestmark = pytest.mark.django_db


def _get(client, name, *args, **params):
    response = client.get(reverse(f"api:{name}", args=args), params)
    return response, (json.loads(response.content) if response["Content-Type"].startswith("application/json") else None)


def test_announcement_list_and_results_match_the_published_announcement(client):
    world = published_world(show_totals=True)
    announcement = world["announcement"]
    response, data = _get(client, "announcements")
    assert response.status_code == 200
    assert [a["number"] for a in data["results"]] == [announcement.number]
    _response, results = _get(client, "announcement_results", announcement.pk)
    selected, reserve = public_rows(announcement)
    assert [(r["entry_code"], r["outcome"], r["rank"]) for r in results["results"]] == [
        (row.entry_code, row.outcome, row.rank) for row in selected + reserve
    ]
    assert all(r["total"] is not None for r in results["results"])
    assert "E4" not in {r["entry_code"] for r in results["results"]}  # not listed: not selected, not reserve
    csv = client.get(reverse("api:announcement_results", args=[announcement.pk]), {"format": "csv"})
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("position,rank,entry_code")
    assert [line.split(",")[2] for line in lines[1:]] == [r["entry_code"] for r in results["results"]]


def test_hidden_ranks_and_totals_stay_hidden():
    from django.test import Client

    world = published_world(show_ranks=False, show_totals=False)
    _response, results = _get(Client(), "announcement_results", world["announcement"].pk)
    assert {r["rank"] for r in results["results"]} == {None}
    assert {r["total"] for r in results["results"]} == {None}


@pytest.mark.parametrize("stage", ["draft", "awaiting", "embargo"])
def test_unpublished_announcements_and_records_are_absent_for_every_role(client, stage):
    world = published_world(embargo_until=timezone.now() + datetime.timedelta(days=1))
    a, b = world["organisers"]
    hidden = world["announcement"]  # approved, but under embargo
    if stage != "embargo":
        hidden = pub.prepare_announcement(round_=world["round"], actor=a, **text_fields(number="999/DRAFT"))
        if stage == "awaiting":
            pub.submit_for_approval(announcement=hidden, actor=a)
    users = [
        None,
        a,
        b,
        OrganiserFactory(is_superuser=True),
        world["owner"],
        InnovatorFactory(agency=AgencyFactory(region=region("73.71"))),
        VerifierFactory(),
        JudgeFactory(),
    ]
    for user in users:
        client.logout()
        if user:
            client.force_login(user)
        _r, data = _get(client, "announcements")
        assert data["count"] == 0
        assert _get(client, "announcement_detail", hidden.pk)[0].status_code == 404
        assert _get(client, "announcement_results", hidden.pk)[0].status_code == 404
        _r, records = _get(client, "records")
        assert records["count"] == 0
        assert _get(client, "record_detail", "sapa-masyarakat-sekitar-sms")[0].status_code == 404
        csv = client.get(reverse("api:records"), {"format": "csv"}).content.decode()
        assert "Sapa" not in csv


def test_records_api_filters_detail_and_csv(client):
    world = published_world()
    _r, data = _get(client, "records", q="putus sekolah")
    assert [r["slug"] for r in data["results"]] == ["sapa-masyarakat-sekitar-sms"]
    _r, data = _get(client, "records")
    assert {r["slug"] for r in data["results"]} == {rec.slug for rec in world["records"].values()}
    _r, detail = _get(client, "record_detail", "sapa-masyarakat-sekitar-sms")
    assert detail["history"][0]["entry_code"] == "E1"
    assert detail["indicators"][0]["name"] == "Angka putus sekolah"
    assert [v["value"] for v in detail["indicators"][0]["values"]] == ["24.0000", "6.0000"]
    csv = client.get(reverse("api:records"), {"format": "csv", "q": "putus sekolah"}).content.decode()
    assert csv.splitlines()[1].startswith("sapa-masyarakat-sekitar-sms,")


def test_pagination_is_capped_and_validated(client):
    published_world()
    _r, data = _get(client, "records", page_size=1)
    assert data["count"] == 2 and data["pages"] == 2 and len(data["results"]) == 1
    _r, page2 = _get(client, "records", page_size=1, page=2)
    assert page2["results"][0]["slug"] != data["results"][0]["slug"]
    for bad in ({"page_size": MAX_PAGE_SIZE + 1}, {"page": 0}, {"page": "x"}, {"stage": "nope"}, {"format": "xml"}):
        response, body = _get(client, "records", **bad)
        assert response.status_code == 400 and "error" in body


def test_etag_and_304(client):
    published_world()
    url = reverse("api:records")
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_only_get_and_the_openapi_document(client):
    assert client.post(reverse("api:records")).status_code == 405
    response, doc = _get(client, "openapi")
    assert doc["openapi"].startswith("3.") and "/records/" in doc["paths"]


def test_the_api_index_lists_its_resources_and_links_to_the_description(client):
    response, index = _get(client, "index")
    assert response.status_code == 200 and response["ETag"].startswith('"')
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    assert {r["name"]: r["url"] for r in index["resources"]} == {
        "announcements": "http://testserver/api/v1/announcements/",
        "records": "http://testserver/api/v1/records/",
    }
    assert client.get(index["openapi"]).status_code == 200
    assert client.post(reverse("api:index")).status_code == 405


def test_the_api_links_point_to_the_address_it_was_reached_at(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    world = published_world()
    host = {"HTTP_HOST": "localhost:8123"}
    announcement = client.get(reverse("api:announcement_detail", args=[world["announcement"].pk]), **host).json()
    assert announcement["url"].startswith("http://localhost:8123/")
    assert announcement["results"].startswith("http://localhost:8123/api/v1/announcements/")
    record = client.get(reverse("api:records"), **host).json()["results"][0]
    assert record["url"].startswith("http://localhost:8123/") and record["api"].startswith("http://localhost:8123/")
    doc = client.get(reverse("api:openapi"), **host).json()
    assert doc["servers"] == [{"url": "http://localhost:8123/api/v1"}]


def test_head_is_answered_like_get_and_a_malformed_id_is_not_found(client):
    world = published_world()
    head = client.head(reverse("api:records"))
    assert head.status_code == 200 and head["ETag"] == client.get(reverse("api:records"))["ETag"]
    assert client.get("/api/v1/announcements/abc/").status_code == 404
    assert client.get(f"/api/v1/announcements/{world['announcement'].pk}/x/results/").json() == {"error": "not found"}
    not_allowed = client.delete(reverse("api:records"))
    assert not_allowed.status_code == 405 and not_allowed.json() == {"error": "method not allowed"}
