"""The forwarding pages and the provenance panel, for each person: the organiser of the lower competition (who
nominates), of the upper one (who configures and sees the drafts arrive), the innovator of the agency, another
innovator, a judge and an anonymous visitor. (Until memberships, every organiser organises every organisation:
kipp.permissions.is_organiser_of.)"""

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import Nomination
from judging.publication.forwarding import services
from tests.factories import CompetitionFactory, InnovatorFactory, JudgeFactory, OrganisationFactory, region
from tests.judging.publication.forwarding.helpers import fill, lower_with_final, upper_fed_by
from tests.judging.scoring.helpers import add_judge, add_sheet, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed():
    lower, final, entries, (a, _b) = lower_with_final()
    upper, national = upper_fed_by(lower, quota=3)
    return lower, upper, final, entries, a, national


def _nominate_url(lower, upper):
    return reverse("judging:forwarding_nominate", args=[lower.slug, upper.slug])


def test_the_lower_organiser_sees_the_final_list_with_checkboxes_rank_total_and_the_quota(fed, client):
    lower, upper, final, entries, organiser, _ = fed
    client.force_login(organiser)
    page = client.get(_nominate_url(lower, upper)).content.decode()
    assert "Kuota: 3 usulan per penyelenggara" in page and "sudah memakai 0, sisa 3" in page
    assert "065/312/III/B" in page
    for code in ("E1", "E2", "E3", "E4"):
        assert f'data-entry="{code}"' in page
        assert f'value="{entries[code].pk}"' in page
    assert 'data-entry="E5"' not in page  # not selected in the final list
    total = final.rows.get(entry=entries["E1"]).total
    assert f"{total:.2f}".replace(".", ",") in page or f"{total:.2f}" in page


def test_nominating_three_then_a_fourth_is_refused_with_the_quota_shown(fed, client):
    lower, upper, _final, entries, organiser, _ = fed
    client.force_login(organiser)
    url = _nominate_url(lower, upper)
    response = client.post(url, {"entries": [entries[c].pk for c in ("E1", "E2", "E3")]})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "3 inovasi diusulkan ke KIPP Nasional Uji" in page
    assert page.count("Sudah diusulkan") == 3
    assert "sudah memakai 3, sisa 0" in page
    refused = client.post(url, {"entries": [entries["E4"].pk]})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Kuota KIPP Nasional Uji adalah 3 usulan per penyelenggara" in text
    assert "sudah memakai 3 (sisa 0)" in text
    assert Nomination.objects.filter(competition=upper).count() == 3


def test_an_empty_choice_is_refused_with_a_message(fed, client):
    lower, upper, _final, _entries, organiser, _ = fed
    client.force_login(organiser)
    response = client.post(_nominate_url(lower, upper), {})
    assert response.status_code == 400
    assert "Pilih sedikitnya satu inovasi" in response.content.decode()


def test_a_competition_that_does_not_feed_the_upper_one_has_no_nomination_page(fed, client):
    lower, _upper, _final, _entries, organiser, _ = fed
    other = CompetitionFactory(slug="kipp-lain")
    client.force_login(organiser)
    assert client.get(_nominate_url(lower, other)).status_code == 404


def test_the_upper_organiser_configures_the_feeds_and_quota(fed, client):
    lower, upper, _final, _entries, organiser, national = fed
    regional = OrganisationFactory(slug="jeneponto-uji", level="kabupaten", province=None, region=region("73.04"))
    kabupaten = CompetitionFactory(slug="kipp-jeneponto-uji", name="KIPP Jeneponto Uji", organisation=regional)
    client.force_login(national)
    url = reverse("judging:forwarding_settings", args=[upper.slug])
    page = client.get(url).content.decode()
    assert "Kuota saat ini: 3 usulan per penyelenggara" in page
    assert "KIPP Sulawesi Selatan Uji" in page and "KIPP Jeneponto Uji" in page
    response = client.post(url, {"quota_per_organisation": 2, "lowers": [lower.pk, kabupaten.pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Kuota saat ini: 2 usulan per penyelenggara" in page
    assert 'data-organisation="jeneponto-uji"' in page
    bad = client.post(url, {"quota_per_organisation": 0, "lowers": [lower.pk]})
    assert bad.status_code == 400
    # another organisation's competition: the national organiser may not open its settings
    assert client.get(reverse("judging:forwarding_settings", args=[lower.slug])).status_code in (403, 404)
    # a province's competition is fed from below only: the national call is no choice there
    client.force_login(organiser)
    page = client.get(reverse("judging:forwarding_settings", args=[lower.slug])).content.decode()
    assert "KIPP Jeneponto Uji" in page and "KIPP Nasional Uji" not in page.split('id="feeding-form"')[1]


@pytest.mark.parametrize("who", ["innovator", "judge"])
def test_innovators_and_judges_open_no_forwarding_page(fed, client, who):
    lower, upper, _final, entries, _organiser, _ = fed
    person = InnovatorFactory(agency=entries["E1"].agency) if who == "innovator" else JudgeFactory()
    client.force_login(person)
    assert client.get(reverse("judging:forwarding_index")).status_code == 403
    for url in (reverse("judging:forwarding_settings", args=[upper.slug]), _nominate_url(lower, upper)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"entries": [entries["E1"].pk], "quota_per_organisation": 9}).status_code == 403
    assert upper.feeding_rule.quota_per_organisation == 3
    assert not Nomination.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(fed, client):
    lower, upper, _final, _entries, _organiser, _ = fed
    for url in (reverse("judging:forwarding_index"), _nominate_url(lower, upper)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.fixture
def nominated(fed):
    lower, upper, final, entries, organiser, national = fed
    innovator = fill(entries["E1"])
    [nomination] = services.nominate_entries(upper=upper, lower=lower, entry_ids=[entries["E1"].pk], actor=organiser)
    return nomination, innovator, national, organiser


def test_the_innovator_sees_the_draft_with_its_provenance_and_the_text_to_place(nominated, client):
    nomination, innovator, _national, _organiser = nominated
    client.force_login(innovator)
    page = client.get(reverse("entries:detail", args=[nomination.entry_id])).content.decode()
    assert 'id="entry-provenance"' in page
    assert "KIPP Sulawesi Selatan Uji" in page and "065/312/III/B" in page
    assert reverse("judging:public_announcement", args=[nomination.announcement_id]) in page
    assert 'data-unmapped="kearifan_lokal"' in page and "Teks kearifan_lokal dari E1." in page
    assert "Teks ringkasan dari E1." in page  # mapped into the upper section
    edit = client.get(reverse("entries:edit", args=[nomination.entry_id]))
    assert edit.status_code == 200  # a draft of their agency, editable like any other


def test_the_upper_organiser_and_an_assigned_judge_see_the_provenance(nominated, client):
    nomination, _innovator, national, _organiser = nominated
    client.force_login(national)
    page = client.get(reverse("entries:detail", args=[nomination.entry_id])).content.decode()
    assert 'id="entry-provenance"' in page and 'id="provenance-rank">1<' in page
    round_ = make_round([("a", 1, 1, 10)], competition=nomination.competition, slug="nasional-1")
    judge = add_judge(round_)
    from judging.models import RoundEntry

    RoundEntry.objects.create(round=round_, entry=nomination.entry, source="organiser", reason="uji")
    add_sheet(round_, nomination.entry, judge, {}, assign_only=True)
    client.force_login(judge)
    page = client.get(reverse("entries:detail", args=[nomination.entry_id])).content.decode()
    assert 'id="entry-provenance"' in page and "065/312/III/B" in page
    assert 'data-unmapped="kearifan_lokal"' not in page  # the text to place is the innovator's business


def test_another_innovator_cannot_open_the_draft(nominated, client):
    nomination, *_ = nominated
    client.force_login(InnovatorFactory())
    assert client.get(reverse("entries:detail", args=[nomination.entry_id])).status_code in (403, 404)


def test_the_lower_entry_page_says_where_it_was_nominated(nominated, client):
    nomination, innovator, _national, _organiser = nominated
    client.force_login(innovator)
    page = client.get(reverse("entries:detail", args=[nomination.lower_entry_id])).content.decode()
    assert 'id="entry-nominated"' in page and nomination.entry.code in page
    assert 'id="entry-provenance"' not in page


def _index_queries(client, organiser):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("judging:forwarding_index")).status_code == 200
    return len(queries)


def test_the_forwarding_index_has_the_same_query_count_with_one_and_many_rows(fed, client):
    lower, upper, _final, _entries, organiser, national = fed
    client.force_login(organiser)
    one = _index_queries(client, organiser)
    for n in range(5):
        more = CompetitionFactory(slug=f"kipp-nasional-lain-{n}", organisation=upper.organisation)
        services.configure_feeding(competition=more, actor=national, quota=2, lowers=[lower])
        CompetitionFactory(slug=f"kipp-provinsi-lain-{n}")
    many = _index_queries(client, organiser)
    page = client.get(reverse("judging:forwarding_index")).content.decode()
    assert page.count("data-feed=") == 6
    assert one == many


def test_saving_the_settings_again_keeps_what_was_not_touched(fed, client):
    """Save, reload, save: the checked competitions and the quota come back as saved."""
    lower, upper, _final, _entries, _organiser, national = fed
    client.force_login(national)
    url = reverse("judging:forwarding_settings", args=[upper.slug])
    form = client.get(url).context["form"]
    data = {"quota_per_organisation": form.initial["quota_per_organisation"], "lowers": form.initial["lowers"]}
    assert data == {"quota_per_organisation": 3, "lowers": [lower.pk]}
    assert client.post(url, data).status_code == 302
    again = client.get(url).context["form"]
    assert again.initial == {"quota_per_organisation": 3, "lowers": [lower.pk]}
    assert upper.feeding_rule.feeds.count() == 1


def _settings_queries(client, upper):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("judging:forwarding_settings", args=[upper.slug])).status_code == 200
    return len(queries)


def test_the_settings_page_lists_the_arrived_drafts_with_the_same_query_count_for_one_and_many(fed, client):
    lower, upper, _final, entries, organiser, national = fed
    services.nominate_entries(upper=upper, lower=lower, entry_ids=[entries["E1"].pk], actor=organiser)
    client.force_login(national)
    one = _settings_queries(client, upper)
    services.nominate_entries(upper=upper, lower=lower, entry_ids=[entries["E2"].pk, entries["E3"].pk], actor=organiser)
    many = _settings_queries(client, upper)
    page = client.get(reverse("judging:forwarding_settings", args=[upper.slug])).content.decode()
    assert page.count("data-nomination=") == 3 and "3 / 3" in page
    assert one == many
