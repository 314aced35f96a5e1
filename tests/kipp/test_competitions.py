"""Competitions: the submission window must close after it opens (service, form, admin, database)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kipp.defaults import DEFAULT_PROPOSAL_SECTIONS, default_section_weights
from kipp.forms import CompetitionForm
from kipp.models import AuditEvent, Competition
from kipp.services import create_competition
from tests.factories import (
    CompetitionFactory,
    InnovatorFactory,
    JudgeFactory,
    OrganisationFactory,
    OrganiserFactory,
    VerifierFactory,
)

pytestmark = pytest.mark.django_db

WINDOW_MESSAGE = "Pendaftaran harus ditutup setelah dibuka"


def _kwargs(**overrides):
    now = timezone.now()
    data = {
        "actor": None,
        "slug": "kipp-uji-2030",
        "name": "KIPP Uji 2030",
        "year": 2030,
        "organisation": OrganisationFactory(),
        "code_prefix": "UJI-2030",
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=60),
    }
    data.update(overrides)
    return data


def test_create_competition_applies_the_default_template_and_is_audited():
    organiser = OrganiserFactory()
    competition = create_competition(**_kwargs(actor=organiser))
    sections = list(competition.sections.order_by("order"))
    assert [(s.key, s.title, s.word_limit) for s in sections] == [
        (d.key, d.title, d.word_limit) for d in DEFAULT_PROPOSAL_SECTIONS
    ]
    assert competition.groups == ["umum", "replikasi", "khusus"]
    assert competition.categories.count() == 3
    event = AuditEvent.objects.get(action="competition.created")
    assert (event.actor, event.object_id) == (organiser, str(competition.pk))


def test_default_weights_are_those_of_kipp_2023():
    weights = default_section_weights()
    assert sum(weights.values()) == 100
    assert weights["signifikansi"] == 30 and "ringkasan" not in weights


@pytest.mark.parametrize("days", [0, -1])
def test_service_refuses_a_window_that_does_not_close_after_it_opens(days):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        create_competition(**_kwargs(opens_at=now, closes_at=now + datetime.timedelta(days=days)))
    assert WINDOW_MESSAGE in str(error.value.message_dict["closes_at"])
    assert not Competition.objects.filter(slug="kipp-uji-2030").exists()


def test_service_reports_a_taken_slug_clearly():
    CompetitionFactory(slug="kipp-uji-2030")
    with pytest.raises(ValidationError) as error:
        create_competition(**_kwargs())
    assert "slug" in error.value.message_dict


def test_form_shows_the_window_message_on_the_closing_date():
    form = CompetitionForm(
        data={
            "name": "KIPP Uji",
            "slug": "kipp-uji",
            "year": 2030,
            "organisation": OrganisationFactory().pk,
            "code_prefix": "UJI",
            "groups": "umum",
            "opens_at": "2030-03-01T08:00",
            "closes_at": "2030-02-01T08:00",
            "minimum_age_months": 24,
            "requires_regional_verification": "on",
        }
    )
    assert not form.is_valid()
    assert WINDOW_MESSAGE in form.errors["closes_at"][0]


def test_database_refuses_the_window_too():
    competition = CompetitionFactory()
    competition.closes_at = competition.opens_at - datetime.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        competition.save()


def _admin_post(competition_id=None, **overrides):
    data = {
        "name": "KIPP Admin",
        "slug": "kipp-admin",
        "year": "2030",
        "organisation": OrganisationFactory().pk,
        "code_prefix": "ADM-2030",
        "description": "",
        "groups": "umum,replikasi",
        "opens_at_0": "2030-03-01",
        "opens_at_1": "08:00:00",
        "closes_at_0": "2030-02-01",
        "closes_at_1": "08:00:00",
        "minimum_age_months": "24",
        "requires_regional_verification": "on",
        "is_public": "on",
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_shows_the_window_message_and_saves_nothing(client):
    client.force_login(OrganiserFactory(is_superuser=True))  # the admin is for portal administrators
    response = client.post(reverse("admin:kipp_competition_add"), _admin_post())
    assert response.status_code == 200
    assert WINDOW_MESSAGE in response.content.decode()
    assert not Competition.objects.filter(slug="kipp-admin").exists()


def test_admin_add_gives_the_default_sections(client):
    client.force_login(OrganiserFactory(is_superuser=True))
    response = client.post(reverse("admin:kipp_competition_add"), _admin_post(closes_at_0="2030-06-01"))
    assert response.status_code == 302
    competition = Competition.objects.get(slug="kipp-admin")
    assert competition.sections.count() == len(DEFAULT_PROPOSAL_SECTIONS)
    assert AuditEvent.objects.filter(action="competition.created", object_id=str(competition.pk)).exists()


def test_admin_is_for_portal_administrators_only(client):
    client.force_login(InnovatorFactory())
    response = client.get(reverse("admin:kipp_competition_changelist"))
    assert response.status_code == 302  # to the admin login: not staff
    client.force_login(OrganiserFactory())
    assert client.get(reverse("admin:kipp_competition_changelist")).status_code == 302  # organisers use /kompetisi/


def _page_post(**overrides):
    data = {
        "name": "KIPP Sulawesi Selatan 2030",
        "slug": "kipp-sulsel-2030",
        "year": "2030",
        "organisation": OrganisationFactory().pk,
        "code_prefix": "SULSEL-2030",
        "description": "",
        "groups": ["umum", "replikasi"],
        "opens_at": "2030-01-10T08:00",
        "closes_at": "2030-03-31T23:59",
        "minimum_age_months": "24",
        "requires_regional_verification": "on",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_competition_with_the_default_template(client):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    response = client.post(reverse("kipp:competition_create"), _page_post(), follow=True)
    html = response.content.decode()
    assert "KIPP Sulawesi Selatan 2030 dibuat dengan 8 bagian proposal bawaan" in html
    competition = Competition.objects.get(slug="kipp-sulsel-2030")
    assert competition.groups == ["umum", "replikasi"]
    assert competition.opens_at.isoformat() == "2030-01-10T00:00:00+00:00"  # 08:00 WITA
    assert competition.sections.count() == len(DEFAULT_PROPOSAL_SECTIONS)
    assert AuditEvent.objects.get(action="competition.created").actor == organiser


def test_competition_page_explains_a_window_that_closes_before_it_opens(client):
    client.force_login(OrganiserFactory())
    response = client.post(reverse("kipp:competition_create"), _page_post(closes_at="2030-01-01T08:00"))
    assert response.status_code == 200
    html = response.content.decode()
    assert WINDOW_MESSAGE in html
    assert 'value="KIPP Sulawesi Selatan 2030"' in html  # what was typed is kept
    assert not Competition.objects.filter(slug="kipp-sulsel-2030").exists()


def test_competition_page_explains_a_taken_code_prefix(client):
    CompetitionFactory(code_prefix="SULSEL-2030")
    client.force_login(OrganiserFactory())
    response = client.post(reverse("kipp:competition_create"), _page_post())
    assert response.status_code == 200
    assert "awalan kode proposal" in response.content.decode().lower()
    assert not Competition.objects.filter(slug="kipp-sulsel-2030").exists()


@pytest.mark.parametrize("factory", [InnovatorFactory, VerifierFactory, JudgeFactory])
def test_competition_pages_are_for_organisers_only(client, factory):
    client.force_login(factory())
    assert client.get(reverse("kipp:competitions")).status_code == 403
    assert client.post(reverse("kipp:competition_create"), _page_post()).status_code == 403
    assert not Competition.objects.filter(slug="kipp-sulsel-2030").exists()


def test_competition_pages_send_anonymous_users_to_login(client):
    response = client.get(reverse("kipp:competition_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("kipp:login"))


def test_competition_list_query_count_does_not_grow(client):
    client.force_login(OrganiserFactory())
    create_competition(**_kwargs(slug="satu", code_prefix="SATU"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("kipp:competitions"))
    assert "8 bagian, 3 kategori" in response.content.decode()
    for n in range(4):
        create_competition(**_kwargs(slug=f"lain-{n}", code_prefix=f"LAIN-{n}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("kipp:competitions"))
    assert response.content.decode().count("8 bagian, 3 kategori") == 5
    assert len(many) == len(one)
