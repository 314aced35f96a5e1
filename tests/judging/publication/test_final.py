"""The final ranking across rounds (sum_r W_r * total_r / sum_r W_r), its announcement, and the public innovation
records (nothing an innovator did not mean to publish)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from entries.models import Attachment, ImpactIndicator, TeamMember
from judging.models import Announcement, RecordEntry, Round
from judging.publication import services as pub
from judging.publication.queries import final_ranking
from judging.publication.services import send_due_notifications
from judging.scoring.queries import round_ranking
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.judging.scoring.helpers import add_judge, add_sheet
from tests.queue import run_deferred

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds():
    desk, second, entries, judges = closed_round(top_n=3, reserve_n=0)
    a, b = organisers()
    published(desk, a, b)  # E1, E2, E3 advance
    Round.objects.filter(pk=desk.pk).update(weight=70)
    second.weight = 30
    second.top_n = 2
    second.reserve_n = 0
    second.state = "open"
    second.save()
    panel = [add_judge(second), add_judge(second)]
    # E3 presents best, E1 worst: the final order differs from both rounds.
    for code, (x, y) in {"E1": (2, 3), "E2": (6, 6), "E3": (10, 10)}.items():
        add_sheet(second, entries[code], panel[0], {"a": x, "b": x})
        add_sheet(second, entries[code], panel[1], {"a": y, "b": y})
    second.state = "closed"
    second.save()
    desk.refresh_from_db()
    return desk, second, entries, a, b


def test_final_is_the_weighted_mean_over_the_rounds_taken_part_in(two_rounds):
    desk, second, entries, a, b = two_rounds
    desk_totals = {r["entry_code"]: r["total"] for r in round_ranking(desk)}
    second_totals = {r["entry_code"]: r["total"] for r in round_ranking(second)}
    rows = final_ranking(second)
    assert [r["entry_code"] for r in rows] == sorted(
        ["E1", "E2", "E3"], key=lambda c: -(70 * desk_totals[c] + 30 * second_totals[c]) / 100
    )
    for row in rows:
        code = row["entry_code"]
        expected = (70 * desk_totals[code] + 30 * second_totals[code]) / 100
        assert row["total"] == pytest.approx(expected, abs=1e-9)
        assert row["round_total"] == pytest.approx(second_totals[code])
    assert [r["outcome"] for r in rows] == ["selected", "selected", "not_selected"]
    assert "E4" not in {r["entry_code"] for r in rows}  # E4 did not take part in the last round


def test_the_final_announcement_uses_the_same_machinery(two_rounds, client):
    desk, second, entries, a, b = two_rounds
    final = pub.prepare_announcement(
        round_=second, actor=a, kind="final", acknowledge_few_judges=True, **text_fields(number="065/312/III/B")
    )
    pub.submit_for_approval(announcement=final, actor=a)
    pub.approve_announcement(announcement=final, actor=b)
    body = client.get(reverse("judging:public_announcement", args=[final.pk])).content.decode()
    assert "Nilai akhir = jumlah (bobot babak" in body
    assert desk.name in body and second.name in body


def _final(two_rounds, **overrides):
    desk, second, entries, a, b = two_rounds
    final = pub.prepare_announcement(
        round_=second,
        actor=a,
        kind="final",
        acknowledge_few_judges=True,  # two judges of the second round's k=3
        **text_fields(number="065/312/III/B", **overrides),
    )
    pub.submit_for_approval(announcement=final, actor=a)
    approved = pub.approve_announcement(announcement=final, actor=b)
    run_deferred()  # the worker's part: outcome mails and the records of the final announcement
    return approved, entries


def _attach(entry, kind, content_type, user, media):
    attachment = Attachment(
        entry=entry,
        kind=kind,
        original_name=f"{kind}.bin",
        size=3,
        content_type=content_type,
        sha256="0" * 64,
        uploaded_by=user,
    )
    attachment.file.save(f"{kind}.bin", ContentFile(b"abc"), save=False)
    attachment.save()
    return attachment


def test_records_show_only_what_the_innovators_meant_to_publish(two_rounds, client, media_root):
    final, entries = _final(two_rounds)
    top = final.rows.filter(outcome="selected").order_by("rank").first().entry
    innovator = InnovatorFactory(agency=top.agency)
    TeamMember.objects.create(entry=top, name="Hj. Nurhayati", contact="0812-0000-1111")
    ImpactIndicator.objects.create(
        entry=top,
        name="Angka putus sekolah",
        unit="anak",
        baseline_value=40,
        baseline_on=datetime.date(2019, 7, 1),
        latest_value=5,
        latest_on=datetime.date(2022, 7, 1),
        direction="lower",
    )
    photo = _attach(top, "photo", "image/jpeg", innovator, media_root)
    decree = _attach(top, "decree", "application/pdf", innovator, media_root)
    url = reverse("judging:record", args=[top.pk])
    # The announcement went public at approval, whose job built the catalogue's record: the entry's public page is it.
    record = RecordEntry.objects.get(entry=top).record
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.slug])
    body = client.get(url, follow=True).content.decode()
    assert "Angka putus sekolah" in body and "<svg" in body
    assert "0812-0000-1111" not in body and 'id="record-team"' not in body
    assert client.get(reverse("judging:record_photo", args=[top.pk, decree.pk])).status_code == 404
    assert client.get(reverse("judging:record_photo", args=[top.pk, photo.pk])).status_code == 200

    client.force_login(innovator)
    client.post(reverse("judging:record_settings", args=[top.pk]), {"show_contacts": "on"})
    client.logout()
    body = client.get(url, follow=True).content.decode()
    assert "0812-0000-1111" in body and 'id="record-team"' in body
    assert client.get(reverse("judging:record_photo", args=[top.pk, photo.pk])).status_code == 404
    assert top.title in client.get(reverse("judging:records")).content.decode()


def test_no_record_before_the_final_announcement_is_visible(two_rounds, client):
    final, entries = _final(two_rounds, embargo_until=timezone.now() + datetime.timedelta(days=1))
    assert client.get(reverse("judging:record", args=[entries["E3"].pk])).status_code == 404
    assert entries["E3"].title not in client.get(reverse("judging:records")).content.decode()
    # The catalogue already holds E3 from the visible round announcement, not from the embargoed final one.
    assert RecordEntry.objects.get(entry=entries["E3"]).announcement_id != final.pk
    Announcement.objects.filter(pk=final.pk).update(embargo_until=timezone.now())
    assert client.get(reverse("judging:record", args=[entries["E3"].pk])).status_code == 302
    send_due_notifications()  # `publish_due`: the final announcement went public, so the record follows it
    run_deferred()  # (the build job it deferred, as the worker runs it)
    assert RecordEntry.objects.get(entry=entries["E3"]).announcement_id == final.pk


def test_only_the_agencys_innovators_change_the_record_settings(two_rounds, client):
    desk, second, entries, a, b = two_rounds
    client.force_login(InnovatorFactory())
    assert (
        client.post(reverse("judging:record_settings", args=[entries["E1"].pk]), {"show_contacts": "on"}).status_code
        == 404
    )
    client.force_login(a)
    assert (
        client.post(reverse("judging:record_settings", args=[entries["E1"].pk]), {"show_contacts": "on"}).status_code
        == 404
    )
