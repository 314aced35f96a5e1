"""The Django admin, set up for organisers (role) without superuser rights."""

import pytest
from django.urls import reverse

from kipp.models import AuditEvent, User
from tests.factories import AgencyFactory, InnovatorFactory, JudgeFactory, OrganiserFactory, region

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sandi-Panjang-2027"


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:kipp_user_changelist",
        "admin:kipp_user_add",
        "admin:kipp_agency_changelist",
        "admin:kipp_agency_add",
        "admin:kipp_region_changelist",
        "admin:kipp_competition_changelist",
        "admin:kipp_competition_add",
        "admin:kipp_auditevent_changelist",
    ],
)
def test_organiser_can_open_the_admin_pages(client, name):
    client.force_login(OrganiserFactory())
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("factory", [InnovatorFactory, JudgeFactory])
def test_other_roles_cannot_open_the_admin(client, factory):
    client.force_login(factory())
    response = client.get(reverse("admin:kipp_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def _add_user(client, **data):
    payload = {
        "email": "baru@example.org",
        "full_name": "Pengguna Baru",
        "role": "organiser",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
    }
    payload.update(data)
    return client.post(reverse("admin:kipp_user_add"), payload)


def test_an_organiser_added_in_the_admin_can_use_the_admin(client):
    client.force_login(OrganiserFactory())
    assert _add_user(client).status_code == 302
    user = User.objects.get(email="baru@example.org")
    assert user.is_staff and not user.is_superuser
    assert AuditEvent.objects.filter(action="account.created", object_id=str(user.pk)).exists()


def test_admin_explains_a_verifier_without_region_and_an_innovator_without_agency(client):
    client.force_login(OrganiserFactory())
    response = _add_user(client, role="verifier")
    assert response.status_code == 200
    assert "Verifikator daerah harus punya daerah" in response.content.decode()
    response = _add_user(client, role="innovator")
    assert "Inovator harus terdaftar pada satu instansi" in response.content.decode()
    assert not User.objects.filter(email="baru@example.org").exists()
    agency = AgencyFactory()
    assert _add_user(client, role="innovator", agency=agency.pk).status_code == 302
    assert not User.objects.get(email="baru@example.org").is_staff


def test_agency_search_and_region_filter(client):
    client.force_login(OrganiserFactory())
    AgencyFactory(name="Dinas Perhubungan Kabupaten Jeneponto")
    AgencyFactory(name="Dinas Kesehatan Kota Makassar", region=region("73.71"))
    html = client.get(reverse("admin:kipp_agency_changelist"), {"q": "Perhubungan"}).content.decode()
    assert "Dinas Perhubungan Kabupaten Jeneponto" in html
    assert "Dinas Kesehatan Kota Makassar" not in html
