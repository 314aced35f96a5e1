"""Isolation by organisation (issue 13 item 4): an organiser of one organisation reads, changes and exports nothing of
another organisation's competitions. The world (tests/world.py) is Sulawesi Selatan's competition; its
other_organiser organises Jawa Timur, with a competition of its own (KOVABLIK Uji, entry JATIM-001).

Every organiser list page shows only the organiser's own organisation's rows (and keeps its query count with 1 and
10 organisations); the query layer (kipp/scopes.py) narrows a query that forgets its organisation inside an organiser
page, and raises ScopeError inside a scope that does not name the organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from entries.models import Entry
from judging.models import Announcement, Round
from kipp.models import AuditEvent, Competition
from kipp.scopes import organisation_scope
from kipp.services import record_event
from tests.factories import CompetitionFactory, EntryFactory, OrganisationFactory, OrganiserFactory
from tests.pages import page_body
from tests.world import build_world

pytestmark = pytest.mark.django_db


def _forwarded(**fields):
    now = timezone.now()
    return EntryFactory(status="forwarded", submitted_at=now, forwarded_at=now, **fields)


@pytest.fixture
def world(media_root):
    w = build_world()
    _forwarded(competition=w.competition, code="SEL-SULSEL")
    _forwarded(competition=w.other_competition, code="SEL-JATIM")
    record_event(actor=w.other_organiser, action="uji.jatim", obj=w.other_competition)
    return w


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return page_body(response)


LISTS = [
    # (url name, what of Sulawesi Selatan's must not appear, what of Jawa Timur's must)
    ("kipp:competitions", lambda w: w.competition.name, lambda w: w.other_competition.name),
    ("entries:organiser_list", lambda w: w.entry.code, lambda w: "JATIM-001"),
    ("entries:selection", lambda w: "SEL-SULSEL", lambda w: "SEL-JATIM"),
    ("judging:round_index", lambda w: w.competition.name, lambda w: w.other_competition.name),
    ("judging:announcement_index", lambda w: w.announcement.number, lambda w: w.other_competition.name),
    ("records:manage", lambda w: w.announcement.number, lambda w: None),
    ("kipp:dashboard", lambda w: w.competition.name, lambda w: w.other_competition.name),
]


@pytest.mark.parametrize("name,theirs,mine", LISTS, ids=[row[0] for row in LISTS])
def test_an_organiser_list_shows_nothing_of_another_organisation(client, world, name, theirs, mine):
    body = _page(client, world.other_organiser, reverse(name))
    assert theirs(world) not in body
    if mine(world) is not None:
        assert mine(world) in body
    # and the world's own organiser sees their rows there (the test could fail)
    assert theirs(world) in _page(client, world.organiser, reverse(name))


def test_the_entry_filter_offers_only_the_organisers_competitions(client, world):
    client.force_login(world.other_organiser)
    form = client.get(reverse("entries:organiser_list")).context["form"]
    assert list(form.fields["competition"].queryset) == [world.other_competition]
    assert not form.fields["category"].queryset.filter(competition=world.competition).exists()
    # asking for the other organisation's competition by id finds nothing
    response = client.get(reverse("entries:organiser_list") + f"?competition={world.competition.pk}")
    assert world.entry.code not in page_body(response)
    csv = client.get(reverse("entries:organiser_list") + "?export=csv")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "JATIM-001" in text and world.entry.code not in text


def test_the_audit_log_shows_only_the_events_of_the_organisers_organisations(client, world):
    client.force_login(world.other_organiser)
    events = list(client.get(reverse("kipp:audit_log")).context["page"].object_list)
    assert {e.action for e in events} == {"uji.jatim", "account.logged_in"}  # and their own sign-in
    csv = client.get(reverse("kipp:audit_log") + "?export=csv")
    text = b"".join(csv.streaming_content).decode()
    assert "uji.jatim" in text and "publication." not in text
    client.force_login(world.organiser)
    actions = {e.action for e in client.get(reverse("kipp:audit_log")).context["page"].object_list}
    assert "uji.jatim" not in actions and any(a.startswith("publication.") for a in actions)


def test_the_competition_form_offers_only_the_organisers_organisations(client, world):
    client.force_login(world.other_organiser)
    form = client.get(reverse("kipp:competition_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.other_competition.organisation]


def test_services_refuse_an_organiser_of_another_organisation(world):
    from entries import services as entry_services
    from judging.scoring import services as scoring_services
    from kipp.services import create_competition

    round_ = world.round
    with pytest.raises(scoring_services.JudgingError):
        scoring_services.close_round(round_=round_, actor=world.other_organiser)
    with pytest.raises(scoring_services.JudgingError):
        scoring_services.create_round(
            competition=world.competition, slug="babak-lain", name="Lain", kind="desk", actor=world.other_organiser
        )
    selected = Entry.objects.get(code="SEL-SULSEL")
    with pytest.raises(PermissionDenied):
        entry_services.decide_eligibility(entry=selected, user=world.other_organiser, eligible=True)
    with pytest.raises(ValidationError):
        create_competition(
            actor=world.other_organiser,
            slug="curian",
            name="Curian",
            year=2027,
            organisation=world.competition.organisation,
            code_prefix="CUR",
            opens_at=world.competition.opens_at,
            closes_at=world.competition.closes_at,
        )
    round_.refresh_from_db()
    selected.refresh_from_db()
    assert round_.state == "open" and selected.status == "forwarded"
    assert not Competition.objects.filter(slug="curian").exists()


def test_two_factor_resets_reach_only_the_organisations_people(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kipp.twofactor.permissions import resettable_people

    people = [world.other_organiser, world.other_province_verifier, world.other_competition_judge]
    people += [world.organiser, world.judge, world.verifier]
    assert not set(resettable_people(world.other_organiser))  # nobody has a device yet: nothing to reset
    for person in people:
        TOTPDevice.objects.create(user=person, name="ponsel", confirmed=True)
    mine = set(resettable_people(world.other_organiser))
    assert {world.other_organiser, world.other_province_verifier, world.other_competition_judge} <= mine
    assert world.organiser not in mine and world.judge not in mine and world.verifier not in mine


# The query layer ---------------------------------------------------------------------------------------------


def test_a_query_in_an_organisers_scope_reads_only_their_organisations(world):
    jatim = world.other_competition.organisation_id
    everything = Entry.objects.count()
    with organisation_scope({jatim}):
        assert set(Entry.objects.values_list("competition_id", flat=True)) == {world.other_competition.pk}
        assert not Competition.objects.filter(pk=world.competition.pk).exists()
        assert not Round.objects.filter(competition=world.competition).exists()
        assert not Announcement.objects.exists()  # the world's announcement is Sulawesi Selatan's
        assert list(world.competition.entries.all()) == []  # related managers too
        with pytest.raises(Entry.DoesNotExist):
            Entry.objects.get(pk=world.entry.pk)
    with transaction.atomic(), organisation_scope({jatim}):  # a row lock in scope locks the entry's row only
        assert Entry.objects.select_for_update().get(code="JATIM-001").competition == world.other_competition
    with organisation_scope(None):  # the portal administrator
        assert Entry.objects.count() == everything
    assert Entry.objects.count() == everything  # outside any scope: plain managers


def test_a_scope_that_does_not_name_the_organisation_fails_loudly(world):
    with scope(region=1), pytest.raises(ScopeError):
        list(Entry.objects.all())


def test_an_organiser_page_that_forgets_its_filter_is_narrowed_to_their_organisations(world):
    """A view under organiser_required that lists every entry without naming an organisation."""
    from judging.scoring.permissions import organiser_required

    @organiser_required
    def careless(request):
        return HttpResponse(",".join(sorted(Entry.objects.values_list("code", flat=True))))

    request = RequestFactory().get("/")
    request.user = world.other_organiser
    assert careless(request).content.decode() == "JATIM-001,SEL-JATIM"
    request.user = world.organiser
    codes = careless(request).content.decode().split(",")
    assert world.entry.code in codes and "JATIM-001" not in codes
    request.user = AnonymousUser()
    assert careless(request).status_code == 302  # to the login page


# Query counts: the same with 1 and with 10 organisations --------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_organiser_lists_keep_their_query_count_with_one_and_with_ten_organisations(client, media_root):
    organisation = OrganisationFactory()
    organiser = OrganiserFactory(organisation=organisation)
    competition = CompetitionFactory(organisation=organisation)
    _forwarded(competition=competition)
    record_event(actor=organiser, action="uji.satu", obj=competition)
    client.force_login(organiser)
    urls = [
        reverse("kipp:competitions"),
        reverse("entries:organiser_list"),
        reverse("entries:selection"),
        reverse("judging:round_index"),
        reverse("judging:announcement_index"),
        reverse("kipp:audit_log"),
        reverse("kipp:dashboard"),
    ]
    one = [_count(client, url) for url in urls]
    for i in range(9):
        other = OrganisationFactory(slug=f"organisasi-{i}")
        other_competition = CompetitionFactory(organisation=other)
        _forwarded(competition=other_competition)
        record_event(actor=OrganiserFactory(organisation=other), action="uji.lain", obj=other_competition)
    assert AuditEvent.objects.filter(action="uji.lain").count() == 9
    assert [_count(client, url) for url in urls] == one


def test_building_records_builds_only_the_organisers_own(client, world):
    from judging.models import InnovationRecord

    client.force_login(world.other_organiser)
    assert client.post(reverse("records:manage")).status_code == 302
    assert not InnovationRecord.objects.exists()  # the world's published announcement is Sulawesi Selatan's
    client.force_login(world.organiser)
    assert client.post(reverse("records:manage")).status_code == 302
    assert InnovationRecord.objects.exists()
