import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.records import bulk_records
from judging.models import ReplicationRequest
from tests.factories import AgencyFactory, InnovatorFactory, JudgeFactory, OrganiserFactory, VerifierFactory, region
from tests.judging.records.helpers import add_kind_indicators, published_world

pytestmark = pytest.mark.django_db


def _roles(world):
    return {
        "anonymous": None,
        "owner": world["owner"],
        "other innovator": InnovatorFactory(agency=AgencyFactory(region=region("73.71"))),
        "verifier": VerifierFactory(),
        "judge": JudgeFactory(),
        "organiser": OrganiserFactory(),
    }


def test_catalogue_search_and_record_page_for_every_role(client):
    world = published_world()
    for name, user in _roles(world).items():
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(reverse("records:catalogue"), {"q": "putus sekolah"})
        assert page.status_code == 200, name
        html = page.content.decode()
        assert "Sapa Masyarakat Sekitar (SMS)" in html
        assert "Inovasi Uji" not in html  # E2 does not match the search
        detail = client.get(reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"]))
        assert detail.status_code == 200, name
        assert 'class="impact-chart"' in detail.content.decode()
        chart = detail.content.decode().split('class="impact-chart"', 1)[1].split("</svg>", 1)[0]
        assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', chart), name


def test_reserve_and_unselected_entries_have_no_record_page(client):
    world = published_world()
    assert client.get(reverse("records:detail", args=[world["entries"]["E3"].code])).status_code == 404
    assert client.get(reverse("records:detail", args=["tidak-ada"])).status_code == 404


def test_an_entry_code_redirects_to_the_stable_slug(client):
    world = published_world()
    response = client.get(reverse("records:detail", args=[world["entries"]["E1"].code]))
    assert response.status_code == 301
    assert response["Location"] == reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"])


def test_nothing_before_approval_or_embargo_for_any_role(client):
    world = published_world(embargo_until=timezone.now() + datetime.timedelta(days=1))
    assert world["records"] == {}
    for name, user in _roles(world).items():
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(reverse("records:catalogue")).content.decode()
        assert "Sapa Masyarakat" not in html, name
        assert "0 inovasi" in html, name


def test_filters(client):
    published_world()
    assert "Sapa Masyarakat" in client.get(reverse("records:catalogue"), {"stage": "pelembagaan"}).content.decode()
    assert "Sapa Masyarakat" not in client.get(reverse("records:catalogue"), {"stage": "penciptaan"}).content.decode()
    assert "Sapa Masyarakat" in client.get(reverse("records:catalogue"), {"year": "2027"}).content.decode()
    assert "Sapa Masyarakat" not in client.get(reverse("records:catalogue"), {"year": "2022"}).content.decode()
    assert "Sapa Masyarakat" not in client.get(reverse("records:catalogue"), {"digital": "1"}).content.decode()
    csv = client.get(reverse("records:catalogue"), {"q": "putus sekolah", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[1].startswith("sapa-masyarakat-sekitar-sms,")


def test_contacts_only_by_opt_in_and_never_decrees(client):
    from judging.models import PublicProfile

    world = published_world()
    entry = world["entries"]["E1"]
    entry.team_members.create(name="Dr. Suhaedir Bahtiar", position="Kepala UPT", contact="0812-0000-1111")
    url = reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"])
    assert "0812-0000-1111" not in client.get(url).content.decode()
    PublicProfile.objects.create(entry=entry, show_contacts=True)
    assert "0812-0000-1111" in client.get(url).content.decode()
    assert "/proposal/lampiran" not in client.get(url).content.decode()


def test_update_page_only_for_the_owner_agency(client):
    world = published_world()
    url = reverse("records:update", args=["sapa-masyarakat-sekitar-sms"])
    for name, user in _roles(world).items():
        client.logout()
        if user:
            client.force_login(user)
        status = client.get(url).status_code
        if name == "owner":
            assert status == 200
        elif name == "anonymous":
            assert status == 302
        else:
            assert status == 404, name
    client.force_login(world["owner"])
    response = client.post(
        url,
        {
            "is_running": "1",
            "note": "Diperluas ke desa tetangga.",
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-0-name": "Angka putus sekolah",
            "values-0-value": "2",
            "values-0-measured_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"])).content.decode()
    assert "Diperluas ke desa tetangga." in html
    assert "pembaruan" in html


def test_replication_request_and_answer_through_the_pages(client):
    world = published_world()
    url = reverse("records:detail", args=["sapa-masyarakat-sekitar-sms"])
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Makassar"))
    client.force_login(world["owner"])
    assert "Ajukan replikasi" not in client.get(url).content.decode()  # not for one's own innovation
    client.force_login(requester)
    assert "Ajukan replikasi" in client.get(url).content.decode()
    form = {"contact_name": "Ibu Rina", "contact_email": "rina@example.org", "plan": "Lima SMP di Makassar."}
    assert (
        client.post(reverse("records:replication_request", args=["sapa-masyarakat-sekitar-sms"]), form).status_code
        == 302
    )
    rep = ReplicationRequest.objects.get()
    answer = reverse("records:replication_answer", args=[rep.pk])
    assert client.post(answer, {"decision": "agree"}).status_code == 404  # the requester cannot answer
    client.force_login(world["owner"])
    assert "Lima SMP di Makassar." in client.get(url).content.decode()
    assert client.post(answer, {"decision": "agree", "note": "Silakan."}).status_code == 302
    client.logout()
    html = client.get(url).content.decode()
    assert "Dinas Pendidikan Makassar" in html and 'id="replicated-by"' in html
    assert "Lima SMP di Makassar." not in html  # the plan and contact stay between the agencies


def test_statistics_page_has_charts_and_tables(client):
    published_world()
    html = client.get(reverse("records:statistics")).content.decode()
    assert "<svg" in html and 'id="stats-region-year"' in html and "2027" in html
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    assert not re.search(r'(x|y|width|height)="[0-9]+,[0-9]', svg)  # numbers an SVG can read, in any language
    assert re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+"', svg)
    assert 'style="' not in html.split("<main", 1)[-1]


def _catalogue_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("records:catalogue"), {"q": "putus sekolah"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_catalogue_query_count_is_the_same_with_10_and_1000_records(client):
    bulk_records(10, match_every=1, prefix="TEN")
    few = _catalogue_queries(client)
    bulk_records(990, match_every=1, prefix="MANY")
    many = _catalogue_queries(client)
    assert few == many
    response = client.get(reverse("records:catalogue"), {"q": "putus sekolah"})
    assert "1000 inovasi" in response.content.decode()


def test_dashboard_shows_the_agency_records_and_waiting_requests(client):
    from judging.records.services import request_replication

    world = published_world()
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Makassar"))
    request_replication(record=world["records"]["E1"], actor=requester, plan="Rencana.")
    client.force_login(world["owner"])
    html = client.get(reverse("kipp:dashboard")).content.decode()
    assert 'id="records-dashboard"' in html and "menunggu jawaban" in html
    assert reverse("records:update", args=["sapa-masyarakat-sekitar-sms"]) in html
    client.force_login(requester)
    html = client.get(reverse("kipp:dashboard")).content.decode()
    assert "Permintaan replikasi yang Anda ajukan" in html
    client.force_login(OrganiserFactory())
    assert 'id="records-dashboard"' not in client.get(reverse("kipp:dashboard")).content.decode()


def test_organisers_build_missing_records_from_the_manage_page(client):
    from judging.models import InnovationRecord

    world = published_world()
    InnovationRecord.objects.all().delete()
    url = reverse("records:manage")
    for user in (world["owner"], JudgeFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not InnovationRecord.objects.exists()
    client.force_login(OrganiserFactory())
    assert world["announcement"].number in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert InnovationRecord.objects.count() == 2
    client.post(url)
    assert InnovationRecord.objects.count() == 2


def test_the_entry_page_links_to_its_record(client):
    world = published_world()
    client.force_login(world["owner"])
    html = client.get(reverse("entries:detail", args=[world["entries"]["E1"].pk])).content.decode()
    assert 'id="entry-record"' in html
    assert reverse("records:update", args=["sapa-masyarakat-sekitar-sms"]) in html
    html = client.get(reverse("entries:detail", args=[world["entries"]["E3"].pk]))
    assert 'id="entry-record"' not in html.content.decode()


def test_the_update_form_refuses_23_69_people_and_111_percent(client):
    world = published_world()
    sms = world["records"]["E1"]
    add_kind_indicators(world["entries"]["E1"])
    client.force_login(world["owner"])
    today = timezone.localdate().isoformat()
    rows = {"values-TOTAL_FORMS": "2", "values-INITIAL_FORMS": "0", "is_running": "1"}
    rows.update({"values-0-name": "Siswa kembali bersekolah", "values-0-value": "23.69", "values-0-measured_on": today})
    rows.update({"values-1-name": "Cakupan kunjungan", "values-1-value": "111.54", "values-1-measured_on": today})
    response = client.post(reverse("records:update", args=[sms.slug]), rows)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bilangan bulat" in html and "antara 0 dan 100" in html
    assert not sms.indicator_values.exists()
    rows.update({"values-0-value": "24", "values-1-value": "98.5"})
    assert client.post(reverse("records:update", args=[sms.slug]), rows).status_code == 302
    assert sms.indicator_values.count() == 2
