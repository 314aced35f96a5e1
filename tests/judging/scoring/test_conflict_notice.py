"""A judge's declared conflict leaves an entry short of judges: the organisers are told by email, each in their
language, with a link to the dashboard's replacement list; a failing mail server never undoes the declaration."""

import pytest
from django.urls import reverse

from judging.models import Conflict
from judging.scoring import services
from kipp.models import Notification
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    round_ = make_round([("a", 1, 1, 10)], k=2)
    entry = add_entry(round_, "SULSEL-2023-004")
    judge = add_judge(round_, full_name="Dr. Andi Rahman")
    assignment = services.assign(round_=round_, entry=entry, judge=judge)
    return {"round": round_, "entry": entry, "judge": judge, "assignment": assignment}


def test_organisers_are_told_in_their_language(client, scene, mailoutbox, django_capture_on_commit_callbacks):
    OrganiserFactory(email="biro@sulselprov.go.id", language="id")
    OrganiserFactory(email="advisor@example.org", language="en")
    OrganiserFactory(email="former@sulselprov.go.id", is_active=False)
    client.force_login(scene["judge"])
    url = reverse("judging:declare_conflict", args=[scene["assignment"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Saya pernah menjadi konsultan inovasi ini"})
    assert response.status_code == 302
    by_address = {m.to[0]: m for m in sent_mail()}
    assert set(by_address) == {"biro@sulselprov.go.id", "advisor@example.org"}
    indonesian, english = by_address["biro@sulselprov.go.id"], by_address["advisor@example.org"]
    assert indonesian.subject.startswith("Konflik kepentingan dinyatakan: SULSEL-2023-004")
    assert "Dr. Andi Rahman menyatakan konflik kepentingan" in indonesian.body
    assert "Saya pernah menjadi konsultan inovasi ini" in indonesian.body
    dashboard = reverse("judging:round_dashboard", args=[scene["round"].competition.slug, scene["round"].slug])
    assert dashboard + "#short-h" in indonesian.body
    assert "lembarnya tidak lagi dihitung" not in indonesian.body  # no sheet yet: not a recusal
    assert english.subject.startswith("Conflict of interest declared: SULSEL-2023-004")
    assert "declared a conflict of interest" in english.body


def test_a_recusal_says_the_sheet_no_longer_counts(scene, mailoutbox, django_capture_on_commit_callbacks):
    OrganiserFactory(email="biro@sulselprov.go.id", language="id")
    add_sheet(scene["round"], scene["entry"], scene["judge"], {"a": 7})
    with django_capture_on_commit_callbacks(execute=True):
        services.declare_conflict(assignment=scene["assignment"], judge=scene["judge"], reason="Keluarga")
    assert "lembarnya tidak lagi dihitung" in sent_mail()[0].body


def test_a_failing_mail_server_keeps_the_declaration(scene, settings):
    OrganiserFactory(email="biro@sulselprov.go.id")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nothing listens there
    services.declare_conflict(assignment=scene["assignment"], judge=scene["judge"], reason="Keluarga")
    assert Conflict.objects.filter(judge=scene["judge"], entry=scene["entry"]).exists()
    assert sent_mail() == []
    notification = Notification.objects.get(address="biro@sulselprov.go.id", kind="conflict")
    assert notification.state == "queued"  # the worker tries again later
    assert notification.attempts == 1
    assert "Connection refused" in notification.last_error
