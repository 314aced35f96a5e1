import pytest
from django.db import connection

from kipp.models import Region


@pytest.mark.django_db
def test_runs_on_postgresql_with_all_regions_of_sulawesi_selatan():
    assert connection.vendor == "postgresql"
    kinds = list(Region.objects.filter(province__code="73").values_list("kind", flat=True))
    assert kinds.count("kabupaten") == 21
    assert kinds.count("kota") == 3


@pytest.mark.django_db
def test_home_page_renders_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Kompetisi dibuka" in response.content.decode()
