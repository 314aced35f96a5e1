"""A field verification team in a kecamatan without signal (issue 15): a checklist answer with its photo, captured
offline, waits on the device (also when the page is closed) and arrives once when the connection is back, the
photo cleaned on the server like every upload."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from judging.models import FieldCheck
from kipp.models import AuditEvent
from tests.e2e.conftest import login
from tests.e2e.offline import go_offline, go_online
from tests.factories import PASSWORD
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _jpeg_with_exif():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera Tim"  # Make
    Image.new("RGB", (64, 48), (20, 120, 60)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_checklist_with_a_photo_captured_offline_arrives_once(phone_page, live_server, media_root):
    page = phone_page
    context = page.context
    round_ = make_round([("lokasi", 1, 1, 10)], kind="field", slug="verifikasi-lapangan", state="open")
    entry = add_entry(round_, "F1")
    judge = add_judge(round_, email="verifikator@example.org")
    add_sheet(round_, entry, judge, {}, assign_only=True)
    url = live_server.url + reverse("judging:field_entry", args=[round_.competition.slug, round_.slug, entry.pk])
    login(page, live_server, judge.email, PASSWORD)
    page.goto(url)
    page.wait_for_selector("html[data-offline-ready]", timeout=30_000)  # the worker holds the page
    check = FieldCheck.objects.filter(round=round_, entry=entry).order_by("order").first()

    go_offline(context)
    page.reload()  # from the device
    form = page.locator(f"form[data-check='{check.pk}']")
    form.get_by_label("Sesuai", exact=True).check()
    form.locator("textarea[name=note]").fill("Loket layanan buka, antrean tertib.")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "loket.jpg", "mimeType": "image/jpeg", "buffer": _jpeg_with_exif()}]
    )
    form.get_by_role("button", name="Simpan").click()
    status = form.locator("[data-offline-status]")
    status.get_by_text("Tersimpan di perangkat ini, belum terkirim.").wait_for()
    assert "loket.jpg" in status.inner_text()
    page.close()

    page = context.new_page()
    page.goto(url)  # reopened offline
    form = page.locator(f"form[data-check='{check.pk}']")
    form.locator("[data-offline-status]").get_by_text("belum terkirim").wait_for()
    assert form.locator("textarea[name=note]").input_value() == "Loket layanan buka, antrean tertib."
    check.refresh_from_db()
    assert check.verified is None and not check.photo  # nothing reached the server yet

    go_online(context)
    form.locator("[data-offline-status][data-state=sent]").wait_for()
    check.refresh_from_db()
    assert check.verified is True and check.note == "Loket layanan buka, antrean tertib."
    assert check.checked_by == judge and check.photo
    with check.photo.open("rb") as photo:
        assert not Image.open(photo).getexif()  # cleaned: no camera data left
    assert AuditEvent.objects.filter(action="field.checked").count() == 1
    page.reload()  # online again: the page from the server shows the stored answer and its photo
    assert page.locator(f"form[data-check='{check.pk}'] img").count() == 1
    assert AuditEvent.objects.filter(action="field.checked").count() == 1
