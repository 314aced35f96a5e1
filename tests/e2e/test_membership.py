"""Issue 11 B: a stranger signs up into SMS's agency (UPT SMPN 2 Rumbia) and verifies the email. Until a member
of the agency confirms them they cannot withdraw the agency's entry, answer its replication request or update its
innovation record; the dashboard says who can confirm. After the member confirms on the pending members page, the
newcomer can."""

import re

import pytest

from entries.enums import WITHDRAWABLE_STATUSES
from entries.models import Entry
from judging.models import ReplicationRequest
from judging.records import services as records_services
from tests.e2e.conftest import _new_page, login
from tests.factories import PASSWORD, AgencyFactory, InnovatorFactory, region
from tests.judging.records.helpers import published_world
from tests.outbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Rumbia-Baru-2027!"


def _sign_up_and_verify(page, live_server, agency):
    page.goto(f"{live_server.url}/akun/daftar/")
    page.get_by_label("Email dinas").fill("pendatang@example.org")
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Pendatang Baru")
    page.get_by_label("Instansi / unit pelayanan").select_option(str(agency.pk))
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    link = re.search(r"https?://\S+/akun/verifikasi/\S+", sent_mail()[-1].body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    login(page, live_server, "pendatang@example.org", NEW_PASSWORD)


def test_a_new_sign_up_acts_for_the_agency_only_after_a_member_confirms(browser, page, live_server):
    world = published_world()
    e1 = world["entries"]["E1"]
    if e1.status not in WITHDRAWABLE_STATUSES:
        Entry.objects.filter(pk=e1.pk).update(status="eligible")
    record = world["records"][e1.code]
    requester = InnovatorFactory(agency=AgencyFactory(region=region("73.71"), name="Dinas Pendidikan Kota Makassar"))
    replication = records_services.request_replication(
        record=record, actor=requester, plan="Kunjungan rumah guru di Makassar.", notify=False
    )
    owner = world["owner"]
    entry_url = f"{live_server.url}/proposal/{e1.pk}/"
    record_url = f"{live_server.url}/inovasi/{record.slug}/"

    _sign_up_and_verify(page, live_server, e1.agency)
    notice = page.locator("#membership-pending")
    assert "belum dikonfirmasi" in notice.inner_text()
    assert "penyelenggara" in notice.inner_text()

    # Not yet one of them: the agency's entry does not open (the page says why and who confirms), the record offers
    # neither an update nor the request's answer.
    response = page.goto(entry_url)
    assert response.status == 403
    assert "belum dikonfirmasi" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Tarik proposal").count() == 0
    page.goto(record_url)
    assert page.locator("form.replication-answer").count() == 0
    assert page.get_by_role("link", name="Perbarui catatan inovasi").count() == 0
    assert page.goto(f"{record_url}perbarui/").status == 403
    assert "belum dikonfirmasi" in page.locator("main").inner_text()

    # A confirmed member of the agency sees the newcomer waiting and confirms them, without JavaScript.
    context, member = _new_page(browser, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    login(member, live_server, owner.email, PASSWORD)
    with member.expect_navigation():
        member.get_by_role("link", name=re.compile("anggota baru menunggu konfirmasi")).click()
    row = member.locator("#pending-members tr", has_text="Pendatang Baru")
    with member.expect_navigation():
        row.get_by_role("button", name="Konfirmasi").click()
    assert "Pendatang Baru kini anggota terkonfirmasi" in member.locator("body").inner_text()
    context.close()
    assert "dikonfirmasi" in sent_mail()[-1].subject and sent_mail()[-1].to == ["pendatang@example.org"]

    # Now they act for the agency: answer the request, open the update form, withdraw the entry.
    page.goto(f"{live_server.url}/dasbor/")
    assert page.locator("#membership-pending").count() == 0
    page.goto(record_url)
    answer = page.locator("form.replication-answer")
    answer.get_by_label("Setujui").check()
    with page.expect_navigation():
        answer.get_by_role("button", name="Kirim jawaban").click()
    assert ReplicationRequest.objects.get(pk=replication.pk).state == "agreed"
    assert page.goto(f"{record_url}perbarui/").status == 200
    page.goto(entry_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Tarik proposal").click()
    assert Entry.objects.get(pk=e1.pk).status == "withdrawn"
