"""Files on S3-compatible object storage (STORAGE_URL), against moto's server on the loopback: uploads, thumbnails
and record photos land in the bucket, never on disk; downloads go through the permission-checking views (streamed,
or a presigned redirect of a minute with STORAGE_REDIRECT); nothing is public; a bucket that refuses answers with
the form's message; copy_files_to_storage moves a portal's files from disk, verified, and a second run copies
nothing. Settings parsing of STORAGE_URL."""

import hashlib
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from entries import services
from entries.models import Attachment
from judging.models import RecordPhoto
from kipp.files import save_files_or_none
from kipp.settings import _object_storage
from tests.entries.conftest import png_bytes, upload
from tests.factories import EntryFactory, InnovatorFactory
from tests.faults.s3 import ACCESS_KEY, REGION, SECRET_KEY, storages_for
from tests.faults.servers import BASE_DIR, child_env

pytestmark = pytest.mark.django_db


# STORAGE_URL ------------------------------------------------------------------------------------------------


def test_storage_url_gives_a_private_s3_storage():
    config = _object_storage("s3://kipp-berkas/portal?endpoint=http://127.0.0.1:9000&region=ap-southeast-3")
    options = config["OPTIONS"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "kipp-berkas" and options["location"] == "portal"
    assert options["endpoint_url"] == "http://127.0.0.1:9000" and options["region_name"] == "ap-southeast-3"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["custom_domain"] is None
    assert "access_key" not in options  # then AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment
    keyed = _object_storage("s3://kipp-berkas?access_key=AK&secret_key=S%2Fk")["OPTIONS"]
    assert (keyed["access_key"], keyed["secret_key"]) == ("AK", "S/k")


@pytest.mark.parametrize("url", ["http://bucket", "s3://", "s3://bucket?endpont=http://x"])
def test_a_wrong_storage_url_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured):
        _object_storage(url)


def test_the_settings_read_storage_url_from_the_environment(bucket, tmp_path):
    """As the portal starts: STORAGE_URL in the environment makes S3 the default storage; without it, local disk."""
    code = (
        "import django; django.setup(); from django.core.files.storage import default_storage as s;"
        "print(s.__class__.__name__, getattr(s, 'bucket_name', '-'))"
    )
    for extra, expected in (
        ({"STORAGE_URL": bucket.url}, f"S3Storage {bucket.name}"),
        ({}, "AtomicFileSystemStorage -"),
    ):
        env = child_env(MEDIA_ROOT=tmp_path, **extra)
        if not extra:
            env.pop("STORAGE_URL", None)
        done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
        assert done.stdout.strip() == expected, done.stderr


# Uploads and downloads through the pages ---------------------------------------------------------------------


@pytest.fixture
def innovator(db):
    return InnovatorFactory()


@pytest.fixture
def entry(innovator):
    return EntryFactory(agency=innovator.agency, created_by=innovator, title="Layanan Berkas di Bucket")


@pytest.fixture
def draft(entry, innovator, client):
    client.force_login(innovator)
    return entry


def _upload_photo(client, entry, picture):
    response = client.post(
        reverse("entries:attachment_add", args=[entry.pk]),
        {"kind": "photo", "file": upload("foto.png", picture, "image/png")},
    )
    assert response.status_code == 302
    return Attachment.objects.get(entry=entry)


def test_an_upload_and_its_thumbnail_go_to_the_bucket_and_are_served_by_the_view(client, draft, use_bucket, settings):
    attachment = _upload_photo(client, draft, png_bytes(size=(400, 300)))
    assert use_bucket.keys() == sorted([attachment.file.name, attachment.thumbnail.name])
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]  # nothing on local disk
    stored = use_bucket.read(attachment.file.name)
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256
    assert use_bucket.public_grants(attachment.file.name) == []
    response = client.get(reverse("entries:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == stored
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    thumb = client.get(reverse("entries:attachment_thumb", args=[attachment.pk]))
    assert b"".join(thumb.streaming_content) == use_bucket.read(attachment.thumbnail.name)
    # no one else: another agency's innovator, a visitor
    client.force_login(InnovatorFactory())
    assert client.get(reverse("entries:attachment", args=[attachment.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("entries:attachment", args=[attachment.pk])).status_code == 302
    # and the bucket itself refuses an unsigned read
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{use_bucket.endpoint}/{use_bucket.name}/{attachment.file.name}", timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_removing_an_attachment_removes_its_objects(client, draft, use_bucket):
    attachment = _upload_photo(client, draft, png_bytes(size=(200, 150)))
    services.remove_attachment(attachment=attachment, user=draft.created_by)
    assert use_bucket.keys() == []


def test_with_storage_redirect_the_view_sends_a_presigned_address_of_a_minute(client, draft, use_bucket, settings):
    settings.STORAGE_REDIRECT = True
    attachment = _upload_photo(client, draft, png_bytes(size=(200, 150)))
    response = client.get(reverse("entries:attachment", args=[attachment.pk]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    address = response["Location"]
    assert address.startswith(f"{use_bucket.endpoint}/{use_bucket.name}/")
    query = parse_qs(urlsplit(address).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    with urllib.request.urlopen(address, timeout=10) as answer:  # noqa: S310 (the loopback's moto)
        assert answer.read() == use_bucket.read(attachment.file.name)
        assert answer.headers["Content-Type"] == "image/png"
        assert answer.headers["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(reverse("entries:attachment", args=[attachment.pk])).status_code == 302
    assert "amazonaws" not in address and "X-Amz-Signature" not in client.get(reverse("kipp:home")).content.decode()


def test_a_bucket_that_refuses_answers_with_the_form(client, draft, settings, s3_endpoint):
    keys = f"access_key={ACCESS_KEY}&secret_key={SECRET_KEY}"
    url = f"s3://kipp-no-such-bucket?endpoint={s3_endpoint}&region={REGION}&{keys}"
    settings.STORAGES = storages_for(settings, url)
    response = client.post(
        reverse("entries:attachment_add", args=[draft.pk]),
        {"kind": "photo", "file": upload("foto.png", png_bytes(size=(200, 150)), "image/png")},
        follow=True,
    )
    assert response.status_code == 200
    assert "Berkas tidak dapat disimpan; coba lagi." in response.content.decode()
    assert not Attachment.objects.filter(entry=draft).exists()


def test_a_record_photo_goes_to_the_bucket_and_is_served(client, use_bucket):
    from tests.judging.records.helpers import published_world

    world = published_world()
    slug = "sapa-masyarakat-sekitar-sms"
    client.force_login(world["owner"])
    response = client.post(
        reverse("records:update", args=[slug]),
        {
            "is_running": "1",
            "note": "Foto kegiatan terbaru.",
            "photo": SimpleUploadedFile("kegiatan.png", png_bytes(size=(300, 200)), content_type="image/png"),
            "values-TOTAL_FORMS": "0",
            "values-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    photo = RecordPhoto.objects.get()
    assert use_bucket.keys() == sorted([photo.file.name, photo.thumbnail.name])
    assert use_bucket.public_grants(photo.file.name) == []
    html = client.get(reverse("records:detail", args=[slug])).content.decode()
    photo_urls = [u for u in _links(html) if f"/{photo.pk}/" in u]
    assert photo_urls, "the record page shows the new photo"
    served = client.get(photo_urls[0])
    assert served.status_code == 200
    content = b"".join(served.streaming_content)
    assert content in (use_bucket.read(photo.file.name), use_bucket.read(photo.thumbnail.name))


def _links(html):
    import re

    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


# The copy command -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_copy_files_to_storage_copies_verified_and_a_second_run_copies_nothing(
    entry, innovator, media_root, bucket, settings
):
    first = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("a.png", png_bytes(size=(300, 200)))
    )
    second = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("b.png", png_bytes(size=(200, 100), color=(9, 9, 9)))
    )
    on_disk = sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())
    assert len(on_disk) == 4  # two photos, two thumbnails
    env = child_env(MEDIA_ROOT=media_root, STORAGE_URL=bucket.url)

    def run():
        done = subprocess.run(
            [sys.executable, "manage.py", "copy_files_to_storage"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = run()
    assert "4 files: 4 copied" in out, out
    assert bucket.keys() == on_disk
    for attachment in (first, second):
        assert hashlib.sha256(bucket.read(attachment.file.name)).hexdigest() == attachment.sha256
    out = run()
    assert "0 copied" in out and "4 already there" in out and "Nothing to copy" in out, out
    # a truncated object (an interrupted earlier copy) is found by its checksum and copied again
    bucket.client.put_object(Bucket=bucket.name, Key=first.file.name, Body=b"truncated")
    out = run()
    assert "1 copied" in out and "3 already there" in out, out
    assert hashlib.sha256(bucket.read(first.file.name)).hexdigest() == first.sha256
    # and without STORAGE_URL the command refuses to copy the disk onto itself
    env.pop("STORAGE_URL")
    done = subprocess.run(
        [sys.executable, "manage.py", "copy_files_to_storage"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "STORAGE_URL" in done.stderr


# Local disk: whole files, all or none -----------------------------------------------------------------------


def test_a_file_is_linked_into_place_whole_and_a_taken_name_gets_another(media_root):
    from kipp.storage import AtomicFileSystemStorage

    storage = AtomicFileSystemStorage(location=media_root)
    first = storage.save("lampiran/foto.jpg", ContentFile(b"pertama"))
    second = storage.save("lampiran/foto.jpg", ContentFile(b"kedua"))
    assert first == "lampiran/foto.jpg" and second != first
    assert (media_root / first).read_bytes() == b"pertama" and (media_root / second).read_bytes() == b"kedua"
    assert sorted(p.name for p in (media_root / "lampiran").iterdir()) == sorted([Path(first).name, Path(second).name])


def test_a_failed_block_removes_its_files_and_those_of_the_blocks_inside_it(media_root):
    with pytest.raises(RuntimeError), save_files_or_none() as outer:
        outer.save_name("lampiran/satu.txt", b"1")
        with save_files_or_none() as inner:
            inner.save_name("lampiran/dua.txt", b"2")
        assert sorted(p.name for p in (media_root / "lampiran").iterdir()) == ["dua.txt", "satu.txt"]
        raise RuntimeError("the commit failed")
    assert list((media_root / "lampiran").iterdir()) == []
    with save_files_or_none() as kept:
        kept.save_name("lampiran/tiga.txt", b"3")
    assert [p.name for p in (media_root / "lampiran").iterdir()] == ["tiga.txt"]
