"""An organiser in Chromium finds no way into the Django admin: no menu link, and the password page of a portal
administrator sends them to the admin's login, which does not let them in either."""

import pytest

from kipp.models import User
from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganiserFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_organiser_cannot_reach_the_admin_or_set_the_administrators_password(page, live_server):
    administrator = UserFactory(role="organiser", agency=None, is_staff=True, is_superuser=True)
    organiser = OrganiserFactory(email="organiser@example.org")
    login(page, live_server, organiser.email, PASSWORD)
    assert page.url.endswith("/dasbor/")
    assert page.locator('nav a[href="/admin/"]').count() == 0

    page.goto(f"{live_server.url}/admin/kipp/user/{administrator.pk}/password/")
    assert "/admin/login/" in page.url
    assert page.locator("input[name=password1]").count() == 0
    page.locator("input[name=username]").fill(organiser.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    assert "/admin/login/" in page.url
    assert page.locator("input[name=password1]").count() == 0
    assert User.objects.get(pk=administrator.pk).check_password(PASSWORD)
