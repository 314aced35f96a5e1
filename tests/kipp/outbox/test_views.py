"""A competition's outbox page: organisers only, filters by state and kind (GET), paged, the same number of queries
for one mail or many, resend of a failed one (POST); the announcement's manage page links to its outcome mails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kipp.mail import send_templated_mail
from kipp.models import AuditEvent, Notification
from tests.factories import CompetitionFactory, InnovatorFactory, JudgeFactory, OrganiserFactory, VerifierFactory
from tests.judging.publication.helpers import closed_round, organisers, published
from tests.outbox import sent_mail
from tests.pages import page_body

pytestmark = pytest.mark.django_db

TEMPLATE = "judging/publication/email/objection_answered"
CONTEXT = {"objection": {"name": "Warga", "announcement": {"number": "065"}, "entry": {"code": "E1"}}, "url": "x"}


def _queue(competition, address, kind="objection_answer"):
    send_templated_mail(to=address, template=TEMPLATE, context=CONTEXT, competition=competition, kind=kind)
    return Notification.objects.get(address=address)


@pytest.fixture
def competition():
    return CompetitionFactory(slug="kipp-sulsel-2023")


def _url(competition, **query):
    url = reverse("kipp:outbox", args=[competition.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    ("factory", "status"),
    [(OrganiserFactory, 200), (InnovatorFactory, 403), (VerifierFactory, 403), (JudgeFactory, 403), (None, 302)],
)
def test_only_organisers_see_the_outbox(client, competition, factory, status):
    _queue(competition, "w@example.org")
    if factory:
        client.force_login(factory())
    response = client.get(_url(competition))
    assert response.status_code == status
    if status == 200:
        assert "w@example.org" in page_body(response)
    else:
        assert b"w@example.org" not in response.content


def test_the_outbox_shows_counts_and_filters_by_state_and_kind(client, competition):
    client.force_login(OrganiserFactory())
    _queue(competition, "sent@example.org")
    sent_mail()
    _queue(competition, "queued@example.org", kind="conflict")
    failed = _queue(competition, "failed@example.org")
    Notification.objects.filter(pk=failed.pk).update(state="failed", last_error="SMTPDataError: 554 refused")
    _queue(CompetitionFactory(), "other@example.org")  # another competition's
    body = page_body(client.get(_url(competition)))
    assert "Dalam antrean: 1" in body and "Terkirim: 1" in body and "Gagal: 1" in body
    assert "other@example.org" not in body
    assert "SMTPDataError: 554 refused" in body
    body = page_body(client.get(_url(competition, state="failed")))
    assert "failed@example.org" in body and "sent@example.org" not in body and "queued@example.org" not in body
    body = page_body(client.get(_url(competition, kind="conflict")))
    assert "queued@example.org" in body and "failed@example.org" not in body
    assert "Konflik kepentingan" in body  # the kind in words
    assert "Dalam antrean: 1" in body and "Terkirim: 0" in body  # the counts of the kind
    body = page_body(client.get(_url(competition, state="nonsense")))
    assert "sent@example.org" in body  # an unknown filter is ignored, not an error


def test_the_outbox_is_paged_and_its_query_count_does_not_grow(client, competition):
    client.force_login(OrganiserFactory())
    _queue(competition, "p0@example.org")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(competition)).status_code == 200
        return len(ctx)

    one = count()
    for n in range(1, 60):
        _queue(competition, f"p{n}@example.org")
    assert count() == one
    second = page_body(client.get(_url(competition, page=2)))
    assert "2 / 2" in second
    assert second.count('data-notification="') == 10


def test_an_organiser_resends_a_failed_mail(client, competition):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    failed = _queue(competition, "failed@example.org")
    Notification.objects.filter(pk=failed.pk).update(state="failed", attempts=12, last_error="timeout")
    url = reverse("kipp:outbox_resend", args=[competition.slug, failed.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"state": "failed"})
    assert response.status_code == 302
    assert response.url == _url(competition, state="failed")
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("queued", 0)
    assert AuditEvent.objects.filter(action="outbox.resent", actor=organiser).count() == 1
    assert [m.to for m in sent_mail()] == [["failed@example.org"]]
    assert "Email ke failed@example.org sudah terkirim; tidak dikirim ulang." in page_body(
        client.post(url, follow=True)
    )  # sent now: nothing to resend


def test_a_second_resend_says_the_mail_is_queued_again(client, competition):
    client.force_login(OrganiserFactory())
    failed = _queue(competition, "failed@example.org")
    Notification.objects.filter(pk=failed.pk).update(state="failed", attempts=12, last_error="timeout")
    url = reverse("kipp:outbox_resend", args=[competition.slug, failed.pk])
    client.post(url, {"kind": "outcome"})
    response = client.post(url, {"kind": "outcome"}, follow=True)  # the second click, before the worker sent it
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _url(competition, kind="outcome")
    assert "Email ke failed@example.org sudah masuk antrean lagi" in page_body(response)
    assert AuditEvent.objects.filter(action="outbox.resent").count() == 1
    assert Notification.objects.get(pk=failed.pk).state == "queued"


def test_others_cannot_resend(client, competition):
    failed = _queue(competition, "failed@example.org")
    Notification.objects.filter(pk=failed.pk).update(state="failed")
    url = reverse("kipp:outbox_resend", args=[competition.slug, failed.pk])
    client.force_login(InnovatorFactory())
    assert client.post(url).status_code == 403
    other = CompetitionFactory()
    client.force_login(OrganiserFactory())
    assert client.post(reverse("kipp:outbox_resend", args=[other.slug, failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.state == "failed"


def test_the_rounds_page_links_to_each_competitions_outbox(client, competition):
    client.force_login(OrganiserFactory())
    assert _url(competition) in page_body(client.get(reverse("judging:round_index")))


def test_the_announcement_shows_its_outcome_mails_and_links_to_them(client):
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    InnovatorFactory(agency=entries["E1"].agency)
    announcement = published(round_, a, b)
    n = Notification.objects.filter(kind="outcome").count()
    assert n >= 2  # each entry's innovators
    client.force_login(a)
    body = page_body(client.get(reverse("judging:announcement_manage", args=[announcement.pk])))
    assert f"dalam antrean {n} · terkirim 0 · gagal 0" in body
    link = f"{_url(round_.competition)}?kind=outcome&about=judging.announcement%3A{announcement.pk}"
    assert link in body
    sent_mail()
    body = page_body(client.get(reverse("judging:announcement_manage", args=[announcement.pk])))
    assert f"dalam antrean 0 · terkirim {n} · gagal 0" in body
    send_templated_mail(to="w@example.org", template=TEMPLATE, context=CONTEXT, competition=round_.competition)
    outbox = page_body(client.get(link))
    assert outbox.count('<tr data-notification="') == n
    assert "w@example.org" not in outbox  # not an outcome of this announcement
