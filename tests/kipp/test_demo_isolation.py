"""Issue 13, on the demo: organiser-jatim@demo.kipp.id reaches nothing of Sulawesi Selatan that the public cannot
see, and organiser@demo.kipp.id nothing of Jawa Timur's unpublished kovablik-jatim-2023, through pages, downloads or
the API. (The permission matrix checks every URL for an organiser of another organisation; this walks the demo's
own objects as the two demo organisers.)"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from entries.models import Attachment, Entry
from judging.models import Announcement, Assignment, Round
from kipp.models import Competition, User

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def _private_urls(competition):
    """What an organiser of the competition's organisation opens and the public does not: its rounds' pages and
    downloads, its entries and their files, its announcements' management pages, its outbox and forwarding pages."""
    urls = []
    for round_ in Round.objects.filter(competition=competition):
        args = [competition.slug, round_.slug]
        urls += [
            reverse("judging:round_dashboard", args=args),
            reverse("judging:round_setup", args=args),
            reverse("judging:round_certainty", args=args),
            reverse("judging:round_download", args=[*args, "hasil", "csv"]),
            reverse("judging:round_download", args=[*args, "nilai", "csv"]),
        ]
        sheet = Assignment.objects.filter(round=round_).order_by("pk").first()
        if sheet is not None:
            urls.append(reverse("judging:sheet", args=[sheet.pk]))
    for entry in Entry.objects.filter(competition=competition).exclude(status="draft").order_by("pk")[:5]:
        urls += [reverse("entries:detail", args=[entry.pk]), reverse("entries:print", args=[entry.pk])]
    for attachment in Attachment.objects.filter(entry__competition=competition).order_by("pk")[:3]:
        urls.append(reverse("entries:attachment", args=[attachment.pk]))
    for announcement in Announcement.objects.filter(round__competition=competition):
        urls.append(reverse("judging:announcement_manage", args=[announcement.pk]))
    urls += [
        reverse("kipp:outbox", args=[competition.slug]),
        reverse("judging:forwarding_settings", args=[competition.slug]),
    ]
    return urls


def _assert_reaches_nothing(client, email, competition):
    client.force_login(User.objects.get(email=email))
    urls = _private_urls(competition)
    assert len(urls) > 10, urls
    for url in urls:
        response = client.get(url)
        assert response.status_code in REFUSED, (email, url, response.status_code)
    codes = list(Entry.objects.filter(competition=competition).values_list("code", flat=True))
    for url in (reverse("entries:organiser_list"), reverse("entries:selection"), reverse("kipp:audit_log")):
        page = client.get(url).content.decode()
        assert not [code for code in codes if code in page], (email, url)
    lists = (
        client.get(reverse("kipp:competitions")).content.decode()
        + client.get(reverse("judging:round_index")).content.decode()
    )
    assert competition.name not in lists, email


def test_the_jawa_timur_organiser_reaches_nothing_private_of_sulawesi_selatan(client, demo):
    sulsel = Competition.objects.get(slug="kipp-sulsel-2023")
    _assert_reaches_nothing(client, "organiser-jatim@demo.kipp.id", sulsel)


def test_the_sulawesi_selatan_organiser_reaches_nothing_of_the_unpublished_jawa_timur_competition(client, demo):
    jatim = Competition.objects.get(slug="kovablik-jatim-2023")
    assert not Announcement.objects.filter(round__competition=jatim).exists()  # nothing of it is public
    _assert_reaches_nothing(client, "organiser@demo.kipp.id", jatim)
    client.logout()
    # the open data API and the public pages have nothing of it either
    for url in ("/api/v1/announcements/", "/api/v1/records/", reverse("kipp:home"), "/o/jawa-timur/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "JATIM-2023" not in response.content.decode(), url


def test_their_own_organisers_do_open_those_pages(client, demo):
    """The refusals above are about the organisation, not broken links."""
    for email, slug in (
        ("organiser@demo.kipp.id", "kipp-sulsel-2023"),
        ("organiser-jatim@demo.kipp.id", "kovablik-jatim-2023"),
    ):
        client.force_login(User.objects.get(email=email))
        competition = Competition.objects.get(slug=slug)
        round_ = Round.objects.filter(competition=competition).order_by("order").first()
        response = client.get(reverse("judging:round_dashboard", args=[competition.slug, round_.slug]))
        assert response.status_code == 200, (email, slug)
