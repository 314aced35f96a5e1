"""An organisation's letterhead (kop surat): edited on /o/<slug>/kop/ (save, reload, save; a refused form keeps
what was typed; a refused logo leaves the old one; audited), cleaned like every image, and printed from the
announcement as it stood when the announcement was prepared, on its public page and in its PDF: a later change
reaches only announcements prepared after it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from judging.publication import services as pub
from kipp.models import AuditEvent, Competition, Organisation
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.pages import page_body

pytestmark = pytest.mark.django_db


def _png_with_metadata(size=(120, 80)):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "rahasia-metadata")
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _world():
    round_, _next, _entries, _judges = closed_round()
    a, b = organisers()
    announcement = published(round_, a, b)
    return round_.competition.organisation, announcement, a


def _form_values(page):
    """What the letterhead form shows, as a browser would post it back (file fields left empty)."""
    form = page.context["form"]
    return {name: form[name].value() or "" for name in form.fields if name not in ("logo_upload", "remove_logo")}


def test_save_reload_save_keeps_the_letterhead_and_is_audited(client, media_root):
    organisation, _announcement, organiser = _world()
    client.force_login(organiser)
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    values = _form_values(client.get(url))
    values["heading_lines"] = "PEMERINTAH KABUPATEN JENEPONTO\r\nSEKRETARIAT DAERAH\r\nBAGIAN ORGANISASI"
    values["city"] = "Bontosunggu"
    response = client.post(url, values)
    assert response.status_code == 302
    saved = Organisation.objects.get(pk=organisation.pk)
    assert saved.heading == ["PEMERINTAH KABUPATEN JENEPONTO", "SEKRETARIAT DAERAH", "BAGIAN ORGANISASI"]
    assert saved.city == "Bontosunggu"
    # reload: the page shows what was saved; posted back untouched, nothing changes
    again = _form_values(client.get(url))
    assert again["city"] == "Bontosunggu" and "BAGIAN ORGANISASI" in again["heading_lines"]
    assert client.post(url, again).status_code == 302
    after = Organisation.objects.get(pk=organisation.pk)
    fields = ("heading_lines", "address", "city", "signatory_name", "signatory_title", "email", "phone", "website")
    assert [getattr(after, f) for f in fields] == [getattr(saved, f) for f in fields]
    events = AuditEvent.objects.filter(action="organisation.letterhead").order_by("id")
    assert [e.details["fields"] for e in events] == [["heading_lines", "city"], []]
    assert events[0].actor == organiser


def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(client, media_root):
    organisation, _announcement, organiser = _world()
    client.force_login(organiser)
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    values = _form_values(client.get(url))
    values.update(heading_lines="PEMERINTAH KOTA PAREPARE", city="", website="bukan alamat")
    response = client.post(url, values)
    assert response.status_code == 400
    body = page_body(response)
    assert "PEMERINTAH KOTA PAREPARE" in body and "bukan alamat" in body
    assert Organisation.objects.get(pk=organisation.pk).heading_lines == organisation.heading_lines


def test_the_logo_is_cleaned_served_and_a_refused_upload_leaves_the_old_one(
    client, media_root, django_capture_on_commit_callbacks
):
    organisation, _announcement, organiser = _world()
    client.force_login(organiser)
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    values = _form_values(client.get(url))
    upload = SimpleUploadedFile("logo sulsel.png", _png_with_metadata(), content_type="image/png")
    assert client.post(url, {**values, "logo_upload": upload}).status_code == 302
    saved = Organisation.objects.get(pk=organisation.pk)
    assert (saved.logo_content_type, saved.logo_width, saved.logo_height) == ("image/png", 120, 80)
    stored = saved.logo.read()
    assert b"rahasia-metadata" not in stored  # re-encoded from its pixels (kipp.images)
    served = client.get(reverse("kipp:organisation_logo", args=[organisation.slug]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == stored

    broken = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\nbukan gambar", content_type="image/png")
    values["city"] = "Kota yang diketik"
    refused = client.post(url, {**values, "logo_upload": broken})
    assert refused.status_code == 400
    assert "bukan gambar yang dapat dibaca" in page_body(refused) and "Kota yang diketik" in page_body(refused)
    kept = Organisation.objects.get(pk=organisation.pk)
    assert kept.logo.name == saved.logo.name and kept.logo.read() == stored
    assert kept.city == saved.city

    # a new logo replaces the old one on the letterhead; the old file stays (announcements prepared with it print it)
    old_name = kept.logo.name
    replacement = SimpleUploadedFile("baru.png", _png_with_metadata((60, 60)), content_type="image/png")
    values = _form_values(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**values, "logo_upload": replacement}).status_code == 302
    newest = Organisation.objects.get(pk=organisation.pk)
    assert newest.logo.name != old_name and newest.logo.storage.exists(old_name)

    # removing it: no logo on the letterhead, its address answers 404
    values = {**_form_values(client.get(url)), "remove_logo": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, values).status_code == 302
    gone = Organisation.objects.get(pk=organisation.pk)
    assert not gone.logo
    assert client.get(reverse("kipp:organisation_logo", args=[organisation.slug])).status_code == 404


@pytest.mark.parametrize("person", [None, InnovatorFactory, JudgeFactory])
def test_only_organisers_edit_a_letterhead(client, person):
    organisation, _announcement, _organiser = _world()
    if person is not None:
        client.force_login(person())
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    response = client.post(url, {"heading_lines": "DIUBAH", "city": "X", "signatory_name": "X", "signatory_title": "X"})
    assert response.status_code in (302, 403)
    if person is None:
        assert response["Location"].startswith(reverse("kipp:login"))
    assert Organisation.objects.get(pk=organisation.pk).heading_lines == organisation.heading_lines


def _pdf_text(client, announcement):
    content = client.get(reverse("judging:public_pdf", args=[announcement.pk])).content
    reader = PdfReader(io.BytesIO(content))
    return reader.pages[0].extract_text(), reader.pages[0]


def test_an_announcement_keeps_the_letterhead_it_was_prepared_with_and_a_new_one_takes_the_new_letterhead(
    client, media_root
):
    organisation, announcement, organiser = _world()
    page = page_body(client.get(reverse("judging:public_announcement", args=[announcement.pk])))
    assert "PEMERINTAH PROVINSI SULAWESI SELATAN" in page and organisation.address in page
    text, pdf_page = _pdf_text(client, announcement)
    assert "PEMERINTAH PROVINSI SULAWESI SELATAN" in text.split("PENGUMUMAN")[0]
    assert not pdf_page["/Resources"].get("/XObject")  # no logo yet

    client.force_login(organiser)
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    values = _form_values(client.get(url))
    values.update(heading_lines="PEMERINTAH KABUPATEN JENEPONTO\nBAGIAN ORGANISASI", address="Jl. Lanto Dg. Pasewang")
    logo = SimpleUploadedFile("logo.png", _png_with_metadata(), content_type="image/png")
    assert client.post(url, {**values, "logo_upload": logo}).status_code == 302
    client.logout()

    # the published announcement is what it was: page and PDF keep its letterhead, without the new logo
    page = page_body(client.get(reverse("judging:public_announcement", args=[announcement.pk])))
    assert "PEMERINTAH PROVINSI SULAWESI SELATAN" in page and organisation.address in page
    assert "PEMERINTAH KABUPATEN JENEPONTO" not in page and "Lanto" not in page
    text, pdf_page = _pdf_text(client, announcement)
    head = text.split("PENGUMUMAN")[0]
    assert "PEMERINTAH PROVINSI SULAWESI SELATAN" in head and "JENEPONTO" not in head
    assert not pdf_page["/Resources"].get("/XObject")

    # an announcement prepared now takes the new letterhead and its logo, which only organisers see before it is public
    round2, _next, _entries, _judges = closed_round()
    Competition.objects.filter(pk=round2.competition_id).update(organisation=organisation)
    a, _b = organisers()
    draft = pub.prepare_announcement(round_=round2, actor=a, **text_fields(number="066/135/II/B"))
    logo_url = reverse("judging:announcement_logo", args=[draft.pk])
    assert client.get(logo_url).status_code == 404  # not public: nobody learns it exists
    client.force_login(a)
    body = page_body(client.get(reverse("judging:announcement_manage", args=[draft.pk])))
    assert "PEMERINTAH KABUPATEN JENEPONTO" in body and "Jl. Lanto Dg. Pasewang" in body and logo_url in body
    served = client.get(logo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == Organisation.objects.get(pk=organisation.pk).logo.read()


def test_the_organisers_announcement_page_shows_the_letterhead_with_a_link_to_edit_it(client):
    organisation, announcement, organiser = _world()
    client.force_login(OrganiserFactory())
    body = page_body(client.get(reverse("judging:announcement_manage", args=[announcement.pk])))
    assert "PEMERINTAH PROVINSI SULAWESI SELATAN" in body
    assert reverse("kipp:organisation_letterhead", args=[organisation.slug]) in body


def test_a_logo_much_taller_or_wider_than_a_crest_is_refused_and_one_stored_before_is_drawn_inside_its_box(
    client, media_root
):
    organisation, announcement, organiser = _world()
    client.force_login(organiser)
    url = reverse("kipp:organisation_letterhead", args=[organisation.slug])
    values = _form_values(client.get(url))
    values["city"] = "Kota yang diketik"
    for size in ((1, 400), (500, 100)):
        sliver = SimpleUploadedFile("sliver.png", _png_with_metadata(size), content_type="image/png")
        refused = client.post(url, {**values, "logo_upload": sliver})
        assert refused.status_code == 400
        body = page_body(refused)
        assert "Bentuk logo terlalu memanjang" in body and "Kota yang diketik" in body
    assert not Organisation.objects.get(pk=organisation.pk).logo

    # a sliver stored before shapes were checked (written past the form): the page and the PDF stay bounded
    from django.core.files.base import ContentFile
    from django.db import connection

    from judging.models import Announcement

    name = organisation.logo.storage.save("organisations/sliver.png", ContentFile(_png_with_metadata((1, 2000))))
    with connection.cursor() as cursor:  # the version is sealed: written as someone with the database would
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off, as a superuser can
        Announcement.objects.filter(pk=announcement.pk).update(
            letterhead_logo=name, letterhead_logo_width=1, letterhead_logo_height=2000
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    client.logout()
    page = client.get(reverse("judging:public_announcement", args=[announcement.pk]))
    assert page.status_code == 200
    assert 'width="1" height="72"' in page.content.decode()
    text, pdf_page = _pdf_text(client, announcement)
    assert "PENGUMUMAN" in text and pdf_page["/Resources"]["/XObject"]
