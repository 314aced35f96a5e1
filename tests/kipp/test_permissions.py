"""The base predicates of kipp.permissions: each one admits only signed-in, active people, and every app's own
predicates, the menu and the model's helper are built on them (one organiser check, not several)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from entries import permissions as entry_permissions
from kipp import permissions
from kipp.errors import error_text
from kipp.navigation import items_for
from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory, VerifierFactory

pytestmark = pytest.mark.django_db

BASE = [permissions.is_organiser, permissions.is_judge, permissions.is_verifier, permissions.is_innovator]


@pytest.mark.parametrize(
    ("factory", "admitted"),
    [
        (OrganiserFactory, permissions.is_organiser),
        (JudgeFactory, permissions.is_judge),
        (VerifierFactory, permissions.is_verifier),
        (InnovatorFactory, permissions.is_innovator),
    ],
)
def test_each_role_is_admitted_by_its_own_base_predicate_only_while_active(factory, admitted):
    person = factory()
    assert [predicate(person) for predicate in BASE] == [predicate is admitted for predicate in BASE]
    person.is_active = False
    assert not any(predicate(person) for predicate in BASE)
    assert not any(predicate(AnonymousUser()) for predicate in BASE)


def test_a_superuser_is_an_organiser_and_a_portal_administrator_only_while_active():
    admin = InnovatorFactory(is_superuser=True)
    assert permissions.is_organiser(admin) and admin.is_organiser and permissions.is_portal_administrator(admin)
    admin.is_active = False
    assert not permissions.is_organiser(admin) and not admin.is_organiser
    assert not permissions.is_portal_administrator(admin)


def test_verifier_of_region_is_the_verifier_of_that_region_only():
    verifier = VerifierFactory()
    assert permissions.is_verifier_of_region(verifier, verifier.region_id)
    assert not permissions.is_verifier_of_region(verifier, None)
    assert not permissions.is_verifier_of_region(OrganiserFactory(), verifier.region_id)


def test_entries_uses_the_base_predicates_not_copies_of_them():
    assert entry_permissions.is_organiser is permissions.is_organiser
    assert entry_permissions.is_verifier_of_region is permissions.is_verifier_of_region


def test_the_menu_of_a_deactivated_account_has_no_role_items():
    organiser = OrganiserFactory()
    assert any(item["url_name"] == "kipp:competitions" for item in items_for(organiser))
    organiser.is_active = False
    names = {item["url_name"] for item in items_for(organiser)}
    assert "kipp:competitions" not in names and "kipp:dashboard" not in names
    assert "records:catalogue" in names  # public items stay


def test_superuser_menu_has_the_organiser_items():
    names = {item["url_name"] for item in items_for(InnovatorFactory(is_superuser=True))}
    assert {"kipp:competitions", "entries:selection", "entries:my"} <= names


def test_error_text_reads_every_shape_of_refusal():
    assert error_text(ValidationError(["Satu.", "Dua."])) == "Satu. Dua."
    assert error_text(PermissionDenied("Proposal ini milik instansi lain.")) == "Proposal ini milik instansi lain."


def test_the_dashboard_names_a_verifier_s_region_and_nobody_else_s(client):
    """The region comes from the view's flag (is_verifier), not from a role comparison in the template."""
    verifier = VerifierFactory()
    client.force_login(verifier)
    header = client.get(reverse("kipp:dashboard")).content.decode().split('class="text-body-secondary">')[1]
    assert header.split("</p>")[0].endswith(f" · {verifier.region}")
    judge = JudgeFactory(region=verifier.region)
    client.force_login(judge)
    header = client.get(reverse("kipp:dashboard")).content.decode().split('class="text-body-secondary">')[1]
    assert str(verifier.region) not in header.split("</p>")[0]
