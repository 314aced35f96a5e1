"""An entry's forms sent again (issue 19, item 4): the edit form and the submit form carry an idempotency key; a
retry of a stored sending is told "already saved" and writes nothing again (no second version, audit event,
attachment or submission); a real conflict (a colleague saved in between, a verifier returned it since) stays one."""

import re

import pytest
from django.urls import reverse

from entries import services
from entries.models import Attachment, StatusChange
from kipp.models import AuditEvent, FormSubmission
from tests.entries.conftest import png_bytes, upload
from tests.entries.test_edit_form import page_fields, save

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="form_key" value="([^"]+)"')
ALREADY_SAVED = "Sudah tersimpan: formulir ini sudah disimpan sebelumnya"
ALREADY_SUBMITTED = "sudah diajukan sebelumnya"
SOMEONE_ELSE = "Orang lain telah menyimpan proposal ini"


def shown(client, response):
    return client.get(response["Location"]).content.decode()


def test_the_edit_form_carries_a_key(client, entry, innovator):
    client.force_login(innovator)
    first, second = page_fields(client, entry)["form_key"], page_fields(client, entry)["form_key"]
    assert first != second and len(first) >= 32


def test_a_draft_save_sent_again_is_told_it_is_saved_and_written_once(client, entry, innovator):
    client.force_login(innovator)
    data = page_fields(client, entry)
    data["profile-title"] = "Sapa Masyarakat Sekitar Sekolah"
    before = entry.version
    assert save(client, entry, data).status_code == 302
    again = save(client, entry, data)  # the answer to the first was lost: the same form again
    assert again.status_code == 302 and again["Location"] == reverse("entries:edit", args=[entry.pk])
    page = shown(client, again)
    assert ALREADY_SAVED in page and SOMEONE_ELSE not in page
    assert "Sapa Masyarakat Sekitar Sekolah" in page
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("Sapa Masyarakat Sekitar Sekolah", before + 1)
    assert AuditEvent.objects.filter(action="entries.save_draft", object_id=str(entry.pk)).count() == 1
    assert FormSubmission.objects.filter(object_ref=f"entries.entry:{entry.pk}").count() == 1


def test_an_upload_sent_again_adds_the_file_once(client, entry, innovator):
    client.force_login(innovator)
    data = page_fields(client, entry)
    picture = png_bytes()
    for _ in range(2):
        response = save(client, entry, {**data, "kind": "photo", "file": upload("foto.png", picture), "upload": ""})
        assert response.status_code == 302
    assert ALREADY_SAVED in shown(client, response)
    assert Attachment.objects.filter(entry=entry).count() == 1


def test_a_colleague_saving_in_between_is_still_a_conflict(client, entry, innovator, colleague):
    from django.test import Client

    client.force_login(innovator)
    mine = page_fields(client, entry)
    other = Client()
    other.force_login(colleague)
    theirs = page_fields(other, entry)
    theirs["profile-title"] = "Judul dari rekan"
    assert save(other, entry, theirs).status_code == 302
    mine["profile-title"] = "Judul saya"
    response = save(client, entry, mine)
    assert response.status_code == 200
    assert SOMEONE_ELSE in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "Judul dari rekan"
    # the page shown after the conflict is a new form on the latest version: saving it works
    assert KEY.search(response.content.decode()).group(1) != mine["form_key"]
    again = page_fields(client, entry)
    again["profile-title"] = "Judul saya"
    assert save(client, entry, again).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Judul saya"


def submit_form_key(client, entry):
    page = client.get(reverse("entries:submit", args=[entry.pk])).content.decode()
    return KEY.search(page).group(1)


def test_a_submit_sent_again_is_told_it_is_submitted_once(client, complete_entry, innovator, mailoutbox):
    entry = complete_entry
    client.force_login(innovator)
    key = submit_form_key(client, entry)
    url = reverse("entries:submit", args=[entry.pk])
    first = client.post(url, {"form_key": key})
    assert first.status_code == 302
    mails = len(mailoutbox)
    again = client.post(url, {"form_key": key})
    assert again.status_code == 302 and again["Location"] == reverse("entries:detail", args=[entry.pk])
    page = shown(client, again)
    assert ALREADY_SUBMITTED in page and "tidak dapat diubah" not in page
    entry.refresh_from_db()
    assert entry.status != "draft"
    assert AuditEvent.objects.filter(action="entries.submit", object_id=str(entry.pk)).count() == 1
    assert StatusChange.objects.filter(entry=entry).count() == 1
    assert len(mailoutbox) == mails  # nobody is notified twice


def test_a_submit_sent_again_after_the_verifier_returned_it_is_a_conflict(client, complete_entry, innovator, verifier):
    """Submitted, then returned by the verifier for changes: the old submit form arriving now must not submit the
    returned entry again unchanged behind the innovator's back."""
    entry = complete_entry
    entry.competition.requires_regional_verification = True
    entry.competition.save()
    client.force_login(innovator)
    key = submit_form_key(client, entry)
    url = reverse("entries:submit", args=[entry.pk])
    assert client.post(url, {"form_key": key}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "submitted"
    services.return_entry(entry=entry, user=verifier, note="Lengkapi data indikator")
    entry.refresh_from_db()
    response = client.post(url, {"form_key": key})
    assert response.status_code == 409
    assert "Proposal ini sudah diajukan dari formulir ini, tetapi berubah sesudahnya" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "returned"
    assert AuditEvent.objects.filter(action="entries.submit", object_id=str(entry.pk)).count() == 1


def test_a_submit_without_a_key_on_a_submitted_entry_is_refused_as_before(client, complete_entry, innovator):
    entry = complete_entry
    client.force_login(innovator)
    url = reverse("entries:submit", args=[entry.pk])
    assert client.post(url, {}).status_code == 302
    response = client.post(url, {})
    assert response.status_code == 302
    assert "tidak dapat diubah" in shown(client, response)
