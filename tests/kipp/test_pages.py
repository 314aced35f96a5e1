"""The shell every page shares: navigation by role, error pages, language switch, home page."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kipp.views import error_500
from tests.factories import (
    CompetitionFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganiserFactory,
    VerifierFactory,
)

pytestmark = pytest.mark.django_db


def _nav(html):
    return html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_anonymous_sees_login_and_signup_but_no_menu(client):
    nav = _nav(client.get("/").content.decode())
    assert reverse("kipp:login") in nav
    assert reverse("kipp:signup") in nav
    assert reverse("kipp:dashboard") not in nav
    assert reverse("kipp:logout") not in nav


@pytest.mark.parametrize(
    ("factory", "visible", "hidden"),
    [
        (InnovatorFactory, ["kipp:dashboard", "kipp:profile"], ["kipp:invite", "kipp:competitions", "admin:index"]),
        (VerifierFactory, ["kipp:dashboard", "kipp:profile"], ["kipp:invite", "kipp:competitions", "admin:index"]),
        (JudgeFactory, ["kipp:dashboard", "kipp:profile"], ["kipp:invite", "kipp:competitions", "admin:index"]),
        # the Django admin is for portal administrators only: organisers get no menu link into it
        (OrganiserFactory, ["kipp:dashboard", "kipp:profile", "kipp:invite", "kipp:competitions"], ["admin:index"]),
    ],
)
def test_each_role_sees_its_menu(client, factory, visible, hidden):
    user = factory(full_name="Pengguna Menu")
    client.force_login(user)
    nav = _nav(client.get(reverse("kipp:dashboard")).content.decode())
    for name in visible:
        assert f'href="{reverse(name)}"' in nav, name
    for name in hidden:
        assert f'href="{reverse(name)}"' not in nav, name
    assert "Pengguna Menu" in nav
    assert user.roles_display in nav
    assert reverse("kipp:logout") in nav
    assert reverse("kipp:signup") not in nav


def test_dashboard_needs_login(client):
    response = client.get(reverse("kipp:dashboard"))
    assert response.status_code == 302
    assert response.url == f"{reverse('kipp:login')}?next={reverse('kipp:dashboard')}"


def test_404_page_is_styled_and_helpful(client):
    response = client.get("/halaman-yang-tidak-ada/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan (404)" in html
    assert "css/kipp.css" in html
    assert 'href="/"' in html


def test_403_page_is_styled(client):
    client.force_login(InnovatorFactory())
    response = client.get(reverse("kipp:invite"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak (403)" in html
    assert "css/kipp.css" in html


def test_500_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    assert "Terjadi gangguan (500)" in response.content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Open calls" in html
    assert "Kompetisi dibuka" not in html
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"}, follow=True)
    assert "Kompetisi dibuka" in response.content.decode()


def test_home_lists_open_and_upcoming_calls_in_wita(client):
    CompetitionFactory(name="KIPP Terbuka")
    html = client.get("/").content.decode()
    assert "KIPP Terbuka" in html
    assert "WITA" in html


def test_home_page_query_count_does_not_grow_with_competitions(client):
    CompetitionFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(5):
        CompetitionFactory()
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(one)
