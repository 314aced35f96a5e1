"""A correction shows its exact differences from the version it corrects, each with its reason; the note alone never
explains a changed list (issue 17 finding 11)."""

import pytest
from django.urls import reverse

from judging.models import Announcement, DifferenceReason, Score
from judging.publication import services as pub
from judging.publication.queries import correction_differences
from judging.scoring import services as scoring
from judging.scoring.services import JudgingError
from tests.judging.publication.helpers import closed_round, listed, organisers, published

pytestmark = pytest.mark.django_db

NOTE = "Perbaikan ejaan nama penanda tangan."


@pytest.fixture
def rescored():
    """v1 published (E1, E2 selected, E3 reserve); then the round is reopened, E4 re-scored to the top and closed
    again, and organiser A prepares a correction whose note speaks of a signatory's name only."""
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    round_.state = "open"
    round_.save(update_fields=["state"])
    scoring.close_round(round_=round_, actor=a)
    first = published(round_, a, b)
    scoring.reopen_round(round_=round_, actor=a, reason="Nilai E4 salah input")
    Score.objects.filter(sheet__assignment__entry=entries["E4"]).update(value=10)
    scoring.close_round(round_=round_, actor=a)
    correction = pub.prepare_correction(announcement=first, actor=a, correction_note=NOTE, signatory_name="Dr. Ejaan")
    return first, correction, entries, a, b


def test_the_differences_are_listed_entry_by_entry(rescored):
    first, correction, entries, a, b = rescored
    assert listed(first) == [("E1", "selected"), ("E2", "selected"), ("E3", "reserve"), ("E4", "not_selected")]
    assert listed(correction) == [("E4", "selected"), ("E1", "selected"), ("E2", "reserve"), ("E3", "not_selected")]
    differences = {d["entry_code"]: d for d in correction_differences(correction)}
    assert {code: d["kind"] for code, d in differences.items()} == {
        "E4": "in",
        "E1": "moved",
        "E2": "moved",
        "E3": "out",
    }
    assert differences["E1"]["before"]["rank"] == 1 and differences["E1"]["after"]["rank"] == 2
    assert differences["E2"]["before"]["outcome"] == "selected" and differences["E2"]["after"]["outcome"] == "reserve"
    assert differences["E4"]["after"]["total"] == 100.0
    assert not any(d["explained"] for d in differences.values())


def test_a_changed_list_with_only_a_note_is_refused_until_each_difference_has_its_reason(client, rescored):
    first, correction, entries, a, b = rescored
    with pytest.raises(JudgingError) as refused:
        pub.submit_for_approval(announcement=correction, actor=a)
    assert "berbeda dari versi 1 pada 4 proposal tanpa alasan (E4, E1, E2, E3)" in str(refused.value)
    assert "Catatan koreksi saja tidak menjelaskan perubahan daftar" in str(refused.value)
    correction.refresh_from_db()
    assert correction.state == "draft" and correction.submitted_at is None

    client.force_login(a)
    page = client.get(reverse("judging:announcement_manage", args=[correction.pk])).content.decode()
    assert 'id="difference-refusal"' in page and 'id="difference-form"' in page
    assert 'data-difference="E4" data-kind="in" class="table-danger"' in page

    pub.explain_difference(
        announcement=correction, entry=entries["E4"], reason="Nilai E4 salah input; dinilai ulang.", actor=a
    )
    with pytest.raises(JudgingError, match=r"pada 3 proposal tanpa alasan \(E1, E2, E3\)"):
        pub.submit_for_approval(announcement=correction, actor=a)
    for code in ("E1", "E2", "E3"):
        response = client.post(
            reverse("judging:announcement_action", args=[correction.pk, "explain"]),
            {"entry": entries[code].pk, "reason": "Bergeser karena nilai E4 dikoreksi."},
            follow=True,
        )
        assert "Alasan perbedaan dicatat." in response.content.decode()
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    correction.refresh_from_db()
    assert correction.state == "published"

    client.force_login(b)  # the approver saw the same table
    manage = client.get(reverse("judging:announcement_manage", args=[correction.pk])).content.decode()
    public = client.get(reverse("judging:public_announcement", args=[correction.pk])).content.decode()
    for body in (manage, public):
        assert 'id="differences"' in body
        assert 'data-difference="E4" data-kind="in"' in body and "Nilai E4 salah input; dinilai ulang." in body
        assert 'data-difference="E3" data-kind="out"' in body
        assert body.count("Bergeser karena nilai E4 dikoreksi.") == 3
        assert "table-danger" not in body
    assert NOTE in public


def test_approval_of_an_unexplained_correction_is_refused_and_nothing_changes(rescored):
    """A correction submitted before the rule (awaiting approval, no reasons): the approver is refused too."""
    first, correction, entries, a, b = rescored
    Announcement.objects.filter(pk=correction.pk).update(state="awaiting")
    with pytest.raises(JudgingError, match="tanpa alasan"):
        pub.approve_announcement(announcement=correction, actor=b)
    correction.refresh_from_db()
    first.round.refresh_from_db()
    assert correction.state == "awaiting" and correction.approved_by is None and correction.published_at is None
    assert first.round.state == "closed"


def test_a_reason_must_be_visible(rescored):
    first, correction, entries, a, b = rescored
    with pytest.raises(JudgingError, match="Tuliskan alasan perbedaan"):
        pub.explain_difference(announcement=correction, entry=entries["E1"], reason="\u200b ", actor=a)
    assert not DifferenceReason.objects.exists()


def test_typing_a_reason_makes_the_organiser_an_editor(rescored):
    first, correction, entries, a, b = rescored
    pub.explain_difference(announcement=correction, entry=entries["E4"], reason="Nilai E4 salah input.", actor=b)
    correction.refresh_from_db()
    assert set(correction.editor_ids) == {a.pk, b.pk} and correction.prepared_by == b


def test_an_unchanged_list_has_no_differences_and_says_so(client):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    first = published(round_, a, b)
    correction = pub.prepare_correction(announcement=first, actor=a, correction_note=NOTE)
    assert correction_differences(correction) == []
    with pytest.raises(JudgingError, match="tidak berbeda dari versi sebelumnya"):
        pub.explain_difference(announcement=correction, entry=entries["E1"], reason="Alasan", actor=a)
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    page = client.get(reverse("judging:public_announcement", args=[correction.pk])).content.decode()
    assert "Daftar tidak berubah" in page


def test_every_form_on_the_manage_page_has_its_own_ids(client, rescored):
    """Several forms ask for a reason (return, withdraw, a difference's reason, an objection's answer): each label
    must point to its own field, never to a hidden one of another form (issue 17 review)."""
    import re
    from collections import Counter

    from django.utils import timezone

    from judging.models import Objection

    first, correction, entries, a, b = rescored
    for n in range(2):
        Objection.objects.create(
            announcement=correction,
            entry=entries["E1"],
            name=f"Warga {n}",
            email=f"w{n}@example.id",
            reason="Nilai?",
            created_at=timezone.now(),
        )
    client.force_login(b)
    page = client.get(reverse("judging:announcement_manage", args=[correction.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
        assert ids[target] == 1, target
    assert 'for="difference_id_reason"' not in page and 'id="difference_reason"' in page


def test_a_refused_form_comes_back_with_what_was_typed(client, rescored):
    """A reason that the service refuses (invisible text) or a form with an error: the page shows the form again
    with the typed words, never an empty form (nothing a user typed is dropped)."""
    first, correction, entries, a, b = rescored
    client.force_login(a)
    url = reverse("judging:announcement_action", args=[correction.pk, "explain"])
    response = client.post(url, {"entry": entries["E4"].pk, "reason": "\u3164\u200b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "\u3164\u200b</textarea>" in page and f'<option value="{entries["E4"].pk}" selected>' in page
    assert not DifferenceReason.objects.filter(announcement=correction).exists()

    edit = reverse("judging:announcement_action", args=[correction.pk, "edit"])
    typed = {"title": "Judul koreksi yang diketik panjang-panjang", "number": "", "embargo_until": "2031-01-01T10:00"}
    response = client.post(edit, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Judul koreksi yang diketik panjang-panjang"' in page
    assert "1 Januari 2031" not in page.split('id="edit_', 1)[0]  # the summary shows what is saved, not what was typed
    correction.refresh_from_db()
    assert correction.title != typed["title"] and correction.embargo_until.year != 2031


def test_the_edit_form_saved_reloaded_and_saved_again_keeps_everything(client, rescored):
    """As an organiser does it: open the page, change the title, save; reload, save the form as shown: every field
    keeps its value and the unchanged save makes nobody an editor."""
    first, correction, entries, a, b = rescored

    def shown(response):
        form = response.context["edit_form"]
        data = {}
        for name, field in form.fields.items():
            value = field.widget.format_value(form[name].value())
            if getattr(field.widget, "input_type", None) == "checkbox":
                if form[name].value():
                    data[name] = "on"
            elif value is not None:
                data[name] = value
        return data

    client.force_login(a)
    manage = reverse("judging:announcement_manage", args=[correction.pk])
    edit = reverse("judging:announcement_action", args=[correction.pk, "edit"])
    data = shown(client.get(manage))
    data["title"] = "Koreksi Pengumuman Hasil Penilaian Proposal"
    assert client.post(edit, data).status_code == 302
    correction.refresh_from_db()
    saved = {name: getattr(correction, name) for name in data}
    editors = list(correction.editor_ids)

    again = shown(client.get(manage))
    assert again["title"] == "Koreksi Pengumuman Hasil Penilaian Proposal"
    assert client.post(edit, again).status_code == 302
    correction.refresh_from_db()
    assert {name: getattr(correction, name) for name in data} == saved
    assert list(correction.editor_ids) == editors
