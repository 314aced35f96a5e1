import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from entries.models import Attachment
from judging.models import PublicProfile, RecordPhoto
from judging.records import services
from tests.judging.records.helpers import published_world

pytestmark = pytest.mark.django_db


def _png(color=(200, 30, 30), exif=False):
    image = Image.new("RGB", (64, 48), color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "KameraRahasia"
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def _attachment(entry, kind, content, content_type, name):
    attachment = Attachment(
        entry=entry,
        kind=kind,
        original_name=name,
        size=len(content),
        content_type=content_type,
        sha256="0" * 64,
        uploaded_by=entry.created_by,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.thumbnail.save("t-" + name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def test_photos_are_public_but_never_decrees_and_follow_the_profile(client, media_root):
    world = published_world()
    entry = world["entries"]["E1"]
    photo = _attachment(entry, "photo", _png(), "image/png", "kegiatan.png")
    decree = _attachment(entry, "decree", b"%PDF-1.4 rahasia", "application/pdf", "sk.pdf")
    slug = "sapa-masyarakat-sekitar-sms"
    html = client.get(reverse("records:detail", args=[slug])).content.decode()
    assert reverse("records:photo", args=[slug, "proposal", photo.pk, "kecil"]) in html
    assert client.get(reverse("records:photo", args=[slug, "proposal", photo.pk, "besar"])).status_code == 200
    assert client.get(reverse("records:photo", args=[slug, "proposal", decree.pk, "besar"])).status_code == 404
    other = world["entries"]["E3"]  # reserve: no record
    other_photo = _attachment(other, "photo", _png(), "image/png", "lain.png")
    assert client.get(reverse("records:photo", args=[slug, "proposal", other_photo.pk, "besar"])).status_code == 404
    PublicProfile.objects.create(entry=entry, show_photos=False)
    assert client.get(reverse("records:photo", args=[slug, "proposal", photo.pk, "besar"])).status_code == 404
    assert (
        reverse("records:photo", args=[slug, "proposal", photo.pk, "kecil"])
        not in client.get(reverse("records:detail", args=[slug])).content.decode()
    )


def test_a_new_photo_is_cleaned_and_shown(client, media_root):
    world = published_world()
    sms = world["records"]["E1"]
    upload = SimpleUploadedFile("../../foto lapangan.jpg", _png(exif=True), content_type="image/jpeg")
    services.update_record(record=sms, actor=world["owner"], photos=[upload], note="Foto baru.")
    photo = RecordPhoto.objects.get()
    assert photo.original_name == "foto lapangan.jpg"
    stored = photo.file.read()
    assert b"KameraRahasia" not in stored
    response = client.get(reverse("records:photo", args=[sms.slug, "pembaruan", photo.pk, "besar"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_fake_image_is_refused():
    world = published_world()
    upload = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(Exception) as error:
        services.update_record(record=world["records"]["E1"], actor=world["owner"], photos=[upload])
    assert hasattr(error.value, "messages")
    assert not RecordPhoto.objects.exists()


def _served_privately_and_safely(response, content_type):
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "public, max-age=3600"  # a published record's photo


def test_every_photo_address_sends_nosniff_and_the_sandbox(client, media_root):
    world = published_world()
    entry = world["entries"]["E1"]
    photo = _attachment(entry, "photo", _png(), "image/png", "kegiatan.png")
    sms = world["records"]["E1"]
    for size, content_type in (("besar", "image/png"), ("kecil", "image/jpeg")):  # thumbnails are JPEG
        _served_privately_and_safely(
            client.get(reverse("records:photo", args=[sms.slug, "proposal", photo.pk, size])), content_type
        )
    upload = SimpleUploadedFile("lapangan.jpg", _png(exif=True), content_type="image/jpeg")
    services.update_record(record=sms, actor=world["owner"], photos=[upload])
    later = RecordPhoto.objects.get()
    _served_privately_and_safely(
        client.get(reverse("records:photo", args=[sms.slug, "pembaruan", later.pk, "kecil"])), "image/jpeg"
    )
