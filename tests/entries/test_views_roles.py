"""Each remaining view, for the roles that may and may not use it; refusals leave the entry as it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from entries import services
from entries.models import Attachment, Entry
from tests.entries.conftest import minimal_pdf, png_bytes, upload
from tests.factories import EntryFactory, JudgeFactory

XSS = "<script>alert(1)</script>"


@pytest.fixture
def judge(db):
    return JudgeFactory()


@pytest.fixture
def submitted(complete_entry, innovator):
    services.submit_entry(entry=complete_entry, user=innovator)
    complete_entry.refresh_from_db()
    return complete_entry


def status_of(entry):
    return Entry.objects.get(pk=entry.pk).status


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("other_innovator", 404, "submitted"),
        ("other_verifier", 404, "submitted"),
        ("verifier", 302, "submitted"),
        ("judge", 404, "submitted"),
        ("innovator", 302, "withdrawn"),
    ],
)
def test_withdraw(client, request, submitted, who, code, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("entries:withdraw", args=[submitted.pk])).status_code == code
    assert status_of(submitted) == status


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("innovator", 302, "submitted"),
        ("other_verifier", 404, "submitted"),
        ("organiser", 302, "submitted"),
        ("judge", 404, "submitted"),
        ("verifier", 302, "forwarded"),
    ],
)
def test_verify_forward(client, request, submitted, who, code, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("entries:verify", args=[submitted.pk]), {"action": "forward"}).status_code == code
    assert status_of(submitted) == status


def test_verify_return_without_note_refused_with_message(client, submitted, verifier):
    client.force_login(verifier)
    response = client.post(reverse("entries:verify", args=[submitted.pk]), {"action": "return"}, follow=True)
    assert "Tuliskan catatan" in response.content.decode()
    assert status_of(submitted) == "submitted"


@pytest.mark.parametrize(
    ("who", "code"),
    [("innovator", 403), ("verifier", 403), ("other_innovator", 404), ("judge", 404), ("organiser", 302)],
)
def test_decide(client, request, submitted, verifier, who, code):
    services.forward_entry(entry=submitted, user=verifier)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("entries:decide", args=[submitted.pk]), {"decision": "eligible"})
    assert response.status_code == code
    assert status_of(submitted) == ("eligible" if who == "organiser" else "forwarded")


def test_decide_ineligible_without_reason_refused(client, submitted, verifier, organiser):
    services.forward_entry(entry=submitted, user=verifier)
    client.force_login(organiser)
    response = client.post(reverse("entries:decide", args=[submitted.pk]), {"decision": "ineligible"}, follow=True)
    assert "Pilih alasan" in response.content.decode()
    assert status_of(submitted) == "forwarded"


@pytest.mark.parametrize(("who", "code"), [("innovator", 200), ("other_innovator", 404), ("verifier", 404)])
def test_submit_page(client, request, complete_entry, who, code):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("entries:submit", args=[complete_entry.pk])).status_code == code
    assert client.post(reverse("entries:submit", args=[complete_entry.pk])).status_code in (code, 302)
    assert status_of(complete_entry) == ("submitted" if who == "innovator" else "draft")


@pytest.mark.parametrize(("who", "code"), [("organiser", 200), ("innovator", 403), ("verifier", 404), ("judge", 404)])
def test_extend_deadline_page_roles(client, request, entry, who, code):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("entries:extend_deadline", args=[entry.pk])).status_code == code


def test_extension_in_the_past_refused(client, entry, organiser):
    client.force_login(organiser)
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("entries:extend_deadline", args=[entry.pk]), {"deadline": past, "reason": "x"})
    assert response.status_code == 200 and "masa depan" in response.content.decode()
    assert not entry.deadline_extensions.exists()


def test_attachment_remove_roles(client, entry, innovator, other_innovator, colleague, media_root):
    attachment = services.add_attachment(
        entry=entry, user=innovator, kind="photo", uploaded=upload("a.png", png_bytes())
    )
    url = reverse("entries:attachment_remove", args=[attachment.pk])
    client.force_login(other_innovator)
    assert client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    client.force_login(colleague)
    assert client.post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_remove_after_submit_refused(client, submitted, innovator):
    attachment = submitted.attachments.first()
    client.force_login(innovator)
    response = client.post(reverse("entries:attachment_remove", args=[attachment.pk]), follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_download_roles(
    client, submitted, verifier, organiser, other_verifier, judge, media_root, innovator
):
    services.return_entry(entry=submitted, user=verifier, note="Tambah foto")
    submitted.refresh_from_db()
    photo = services.add_attachment(
        entry=submitted, user=innovator, kind="photo", uploaded=upload("b.png", png_bytes())
    )
    url = reverse("entries:attachment", args=[photo.pk])
    for user, code in ((verifier, 200), (organiser, 200), (other_verifier, 404), (judge, 404)):
        client.force_login(user)
        assert client.get(url).status_code == code
    client.logout()
    assert client.get(url).status_code == 302


def test_attachment_files_are_private_and_never_cached(client, submitted, verifier, innovator, media_root):
    services.return_entry(entry=submitted, user=verifier, note="Tambah foto")
    submitted.refresh_from_db()
    photo = services.add_attachment(
        entry=submitted, user=innovator, kind="photo", uploaded=upload("kegiatan.png", png_bytes())
    )
    decree = services.add_attachment(
        entry=submitted, user=innovator, kind="decree", uploaded=upload("sk-tim.pdf", minimal_pdf())
    )
    client.force_login(verifier)
    for url, disposition in (
        (reverse("entries:attachment", args=[photo.pk]), "inline"),
        (reverse("entries:attachment_thumb", args=[photo.pk]), "inline"),
        (reverse("entries:attachment", args=[decree.pk]), "attachment"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Content-Disposition"].startswith(disposition)


def test_create_refused_for_closed_competition(client, closed_competition, innovator):
    client.force_login(innovator)
    response = client.post(reverse("entries:create", args=[closed_competition.slug]), {"title": "X", "group": "umum"})
    assert "tidak sedang dibuka" in response.content.decode()
    assert not Entry.objects.exists()


def test_notes_from_verifier_and_organiser_are_escaped(client, submitted, verifier, organiser, innovator):
    services.return_entry(entry=submitted, user=verifier, note=XSS)
    submitted.refresh_from_db()
    client.force_login(innovator)
    for url in (reverse("entries:edit", args=[submitted.pk]), reverse("entries:my"), reverse("kipp:dashboard")):
        body = client.get(url).content.decode()
        assert XSS not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    services.submit_entry(entry=submitted, user=innovator)
    services.forward_entry(entry=submitted, user=verifier)
    services.decide_eligibility(entry=submitted, user=organiser, eligible=False, reason="other", note=XSS)
    body = client.get(reverse("entries:detail", args=[submitted.pk])).content.decode()
    assert XSS not in body and "&lt;script&gt;" in body


def test_dashboards_for_verifier_and_organiser(client, submitted, verifier, organiser):
    client.force_login(verifier)
    assert 'data-queue-count="1"' in client.get(reverse("kipp:dashboard")).content.decode()
    services.forward_entry(entry=submitted, user=verifier)
    client.force_login(organiser)
    assert 'data-queue-count="1"' in client.get(reverse("kipp:dashboard")).content.decode()


def test_organiser_list_filters(client, organiser, submitted, competition, other_agency):
    other = EntryFactory(competition=competition, agency=other_agency, title="Layanan Kota Makassar")
    client.force_login(organiser)
    url = reverse("entries:organiser_list")

    def codes(**params):
        body = client.get(url, params).content.decode()
        return {code for code in (submitted.code, other.code) if f'data-entry-code="{code}"' in body}

    assert codes() == {submitted.code, other.code}
    assert codes(status="submitted") == {submitted.code}
    assert codes(region=other_agency.region_id) == {other.code}
    assert codes(category=submitted.category_id) == {submitted.code}
    assert codes(group="replikasi") == set()
    assert codes(q="Makassar") == {other.code}


def test_exports_neutralise_formulas(client, organiser, competition, agency, innovator):
    EntryFactory(competition=competition, agency=agency, created_by=innovator, title='=HYPERLINK("http://x")')
    client.force_login(organiser)
    csv_body = b"".join(client.get(reverse("entries:organiser_list"), {"export": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in csv_body
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get(reverse("entries:organiser_list"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(xlsx.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ['\'=HYPERLINK("http://x")']
