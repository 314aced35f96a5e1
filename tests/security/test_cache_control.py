"""Private pages are not cached (issue 17, finding 7, item 8): every response to a signed-in person, downloads and
the API included, is `Cache-Control: private, no-store`, so that neither a shared computer's browser nor a proxy
keeps it; public pages viewed by visitors keep their caching (API one minute, record photos one hour)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import add_objects, args_for
from tests.world import build_world

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


@pytest.fixture
def world(media_root):
    world = build_world()
    add_objects(world)
    return world


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def directives(response):
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d.strip()}


def assert_private(response, what):
    assert response.status_code == 200, f"{what}: {response.status_code}"
    assert response["Cache-Control"].startswith(PRIVATE), f"{what}: {response.get('Cache-Control')}"
    assert not directives(response) & {"public", "max-age", "s-maxage"}, what
    assert "Expires" not in response, what


def test_the_entry_page_and_the_dashboard_are_private(world):
    owner = signed_in(world.owner)
    assert_private(owner.get(reverse("entries:detail", args=[world.entry.pk])), "entry page")
    assert_private(owner.get(reverse("kipp:dashboard")), "owner's dashboard")
    assert_private(signed_in(world.organiser).get(reverse("kipp:dashboard")), "organiser's dashboard")
    assert_private(signed_in(world.judge).get(reverse("judging:sheet", args=[world.assignment.pk])), "score sheet")


def test_the_organisers_exports_are_private(world):
    organiser = signed_in(world.organiser)
    round_ = world.announcement.round
    urls = [
        reverse("entries:organiser_list") + "?export=csv",
        reverse("entries:organiser_list") + "?export=xlsx",
        reverse("judging:round_download", args=[world.competition.slug, round_.slug, "nilai", "csv"]),
        reverse("judging:round_download", args=[world.competition.slug, round_.slug, "hasil", "csv"]),
        reverse("judging:round_download", args=[world.competition.slug, round_.slug, "hasil", "xlsx"]),
        reverse("records:catalogue") + "?format=csv",
    ]
    for url in urls:
        assert_private(organiser.get(url), url)


def test_the_api_with_a_session_is_private_and_public_without(world):
    url = reverse("api:announcements")
    assert_private(signed_in(world.owner).get(url), "API signed in")
    response = Client().get(url)
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    not_modified = signed_in(world.owner).get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"].startswith(PRIVATE)


def test_a_public_page_viewed_by_a_signed_in_person_is_private_and_stays_cacheable_for_visitors(world):
    page = reverse("judging:public_announcement", args=[world.announcement.pk])
    assert_private(signed_in(world.organiser).get(page), "public announcement, signed in")
    response = Client().get(page)
    assert response.status_code == 200
    assert not directives(response) & {"private", "no-store"}

    values = args_for("records:photo", world, "anonymous")
    photo = reverse("records:photo", kwargs={k: values[k] for k in ("key", "source", "pk", "size")})
    response = Client().get(photo)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert_private(signed_in(world.other_innovator).get(photo), "record photo, signed in")


def test_the_view_keeps_stricter_directives_of_its_own(rf, world):
    from django.http import HttpResponse

    from kipp.middleware import make_private

    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=600, must-revalidate, no-cache"
    make_private(response)
    assert response["Cache-Control"] == "private, no-store, must-revalidate, no-cache"


def test_signing_in_and_out_answers_are_private_until_signed_out(world):
    from tests.conftest import PASSWORD

    client = Client()
    world.owner.set_password(PASSWORD)
    world.owner.save()
    response = client.post(reverse("kipp:login"), {"username": world.owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Cache-Control"].startswith(PRIVATE)
    client.post(reverse("kipp:logout"))
    assert not directives(client.get(reverse("records:catalogue"))) & {"private", "no-store"}
