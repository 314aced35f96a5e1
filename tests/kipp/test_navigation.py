"""The menu: public items (the innovation catalogue) for everyone, anonymous visitors included; role items only for
their role."""

import pytest
from django.urls import reverse

from tests.factories import InnovatorFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


def _menu(client):
    html = client.get(reverse("kipp:home")).content.decode()
    return html.split('id="main-nav"')[1].split("</ul>")[0]


def test_anonymous_visitor_finds_the_catalogue_in_the_menu(client):
    menu = _menu(client)
    assert f'href="{reverse("records:catalogue")}"' in menu and "Katalog inovasi" in menu
    assert reverse("kipp:dashboard") not in menu


@pytest.mark.parametrize("factory", [InnovatorFactory, OrganiserFactory])
def test_signed_in_people_keep_the_catalogue_and_their_own_items(client, factory):
    client.force_login(factory())
    menu = _menu(client)
    assert f'href="{reverse("records:catalogue")}"' in menu and reverse("kipp:dashboard") in menu
