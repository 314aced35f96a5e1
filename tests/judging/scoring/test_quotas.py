"""Quotas at the cut (issue 16 item 3): a round's selection rules fill the Top N by rank while honouring them."""

import copy
import io
from collections import Counter
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from judging.models import SelectionRule
from judging.publication import services as pub
from judging.scoring import services
from judging.scoring.exports import results_bytes
from judging.scoring.queries import assign_outcomes, round_ranking
from judging.scoring.quotas import apply_rules
from tests.factories import AgencyFactory, CategoryFactory, JudgeFactory, OrganiserFactory, region
from tests.judging.publication.helpers import organisers, text_fields
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round


def rule(kind, value, category=None, group=""):
    cat = SimpleNamespace(key=f"c{category}") if category else None
    return SimpleNamespace(kind=kind, value=value, category_id=category, category=cat, group=group)


def make_rows(specs):
    """specs: [(category, group, region)] in rank order; every row has a total."""
    rows = [{"entry_id": i, "entry_code": f"E{i}", "total": 100.0 - i} for i in range(len(specs))]
    return rows, dict(enumerate(specs))


def selected(rows):
    return [r["entry_id"] for r in rows if r["outcome"] == "selected"]


def test_at_least_one_per_category_brings_every_category_in_marked():
    rows, attrs = make_rows([(1, "umum", 1)] * 4 + [(2, "umum", 1), (3, "umum", 1)])
    apply_rules(rows, 3, 1, [rule("min_per_category", 1)], attrs)
    assert selected(rows) == [0, 4, 5]
    marks = {r["entry_id"]: r["rule"] for r in rows}
    assert marks[4] == marks[5] == "in:min_per_category=1"
    assert marks[1] == marks[2] == "out:min_per_category=1"
    assert marks[0] == ""
    assert marks[3] == "out:min_per_category=1"  # a reserve by rank, displaced by the pushed-out entry
    assert [r["outcome"] for r in rows][1] == "reserve"  # the best pushed out is the reserve


def test_at_most_per_region_caps():
    rows, attrs = make_rows([(1, "umum", 1)] * 3 + [(1, "umum", 2)] * 3)
    apply_rules(rows, 4, 0, [rule("max_per_region", 2)], attrs)
    assert selected(rows) == [0, 1, 3, 4]
    assert rows[2]["rule"] == "out:max_per_region=2"
    assert rows[4]["rule"] == "in:max_per_region=2"


def test_share_per_group():
    rows, attrs = make_rows([(1, "umum", 1)] * 5 + [(1, "replikasi", 1)] * 2)
    apply_rules(rows, 4, 0, [rule("share_per_group", 50, group="replikasi")], attrs)
    assert selected(rows) == [0, 1, 5, 6]


def test_ties_and_determinism():
    specs = [(i % 3, "umum", i % 2) for i in range(12)]
    rules = [rule("min_per_category", 2), rule("max_per_region", 3)]
    first = apply_rules(make_rows(specs)[0], 5, 2, rules, make_rows(specs)[1])
    second = apply_rules(make_rows(specs)[0], 5, 2, rules, make_rows(specs)[1])
    assert first == second


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["umum", "replikasi"]), st.integers(1, 4)), max_size=30),
    st.integers(1, 10),
    st.integers(0, 3),
    st.integers(1, 3),
    st.integers(1, 6),
)
def test_rules_hold_when_feasible_and_the_set_is_the_greedy_rank_best(specs, top_n, reserve_n, k, m):
    rows, attrs = make_rows(specs)
    rules = [rule("min_per_category", k), rule("max_per_region", m)]
    apply_rules(rows, top_n, reserve_n, rules, attrs)
    chosen = selected(rows)
    per_region = {}
    for e in chosen:
        per_region[attrs[e][2]] = per_region.get(attrs[e][2], 0) + 1
    assert all(n <= m for n in per_region.values())  # an "at most" rule is never broken
    categories = {a[0] for a in attrs.values()}
    if k * len(categories) <= top_n and k <= m:
        per_cat = {c: sum(1 for e in chosen if attrs[e][0] == c) for c in categories}
        for c in categories:
            available = sum(1 for a in attrs.values() if a[0] == c)
            # a binding cap may leave a category's only entries out (the greedy never breaks an "at most" rule)
            if max(Counter(a[2] for a in attrs.values()).values()) <= m:
                assert per_cat[c] >= min(k, available)
    # greedy: every entry left out that is better ranked than the worst selected breaks a cap, or its place went to
    # a reservation
    assert len(chosen) <= top_n
    for r in rows:
        if r["entry_id"] not in chosen and chosen and r["entry_id"] < max(chosen):
            assert r["rule"].startswith("out:") or r["rank"] > top_n
    # the rank alone decided every unmarked row
    for r in rows:
        if not r["rule"]:
            plain = (
                "selected" if r["rank"] <= top_n else "reserve" if r["rank"] <= top_n + reserve_n else "not_selected"
            )
            assert r["outcome"] == plain


def test_no_rules_is_exactly_todays_outcome():
    rows, _attrs = make_rows([(1, "umum", 1)] * 8)
    assert assign_outcomes(copy.deepcopy(rows), 3, 2, []) == assign_outcomes(copy.deepcopy(rows), 3, 2)


def scored_round(**kwargs):
    round_ = make_round([("a", 1, 0, 10)], top_n=2, reserve_n=1, **kwargs)
    judge = JudgeFactory()
    cats = [CategoryFactory(competition=round_.competition) for _ in range(2)]
    agencies = [AgencyFactory(region=region()), AgencyFactory(region=region("73.71"))]
    for i, value in enumerate([9, 8, 7, 6]):
        entry = add_entry(round_, f"X{i}", agency=agencies[0 if i < 3 else 1])
        entry.category = cats[0 if i < 3 else 1]
        entry.save()
        add_sheet(round_, entry, judge, {"a": value})
    return round_, cats


@pytest.mark.django_db
def test_round_ranking_and_export_with_and_without_rules():
    round_, _cats = scored_round()
    before = round_ranking(round_)
    csv_before = results_bytes(round_, "csv")
    assert round_ranking(round_) == before
    assert b",rule" not in csv_before.splitlines()[0]
    SelectionRule.objects.create(round=round_, kind="min_per_category", value=1, order=1)
    after = round_ranking(round_)
    assert [r["entry_code"] for r in after if r["outcome"] == "selected"] == ["X0", "X3"]
    assert next(r for r in after if r["entry_code"] == "X3")["rule"] == "in:min_per_category=1"
    lines = results_bytes(round_, "csv").decode().splitlines()
    assert lines[0].endswith(",outcome,rule")
    assert lines[2].endswith(",reserve,out:min_per_category=1")
    # the ranking check from the raw ranks holds for every row without a mark
    for r in after:
        if not r["rule"]:
            plain = "selected" if r["rank"] <= 2 else "reserve" if r["rank"] <= 3 else "not_selected"
            assert r["outcome"] == plain
    # snapshots keep the marks
    snapshot = services.store_snapshot(round_=round_)
    assert [r["rule"] for r in snapshot.rows] == [r["rule"] for r in after]


@pytest.mark.django_db
def test_setup_formset_saves_reloads_and_saves_again(client):
    round_, _cats = scored_round(state="setup")
    client.force_login(OrganiserFactory())
    url = reverse("judging:round_action", args=[round_.competition.slug, round_.slug, "selection-rules"])
    data = {
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-0-kind": "min_per_category",
        "rules-0-value": "1",
        "rules-0-category": "",
        "rules-0-group": "",
        "rules-1-kind": "max_per_region",
        "rules-1-value": "2",
        "rules-1-category": "",
        "rules-1-group": "",
    }
    assert client.post(url, data).status_code == 302
    rules = list(SelectionRule.objects.filter(round=round_).order_by("order"))
    assert [(r.kind, r.value) for r in rules] == [("min_per_category", 1), ("max_per_region", 2)]
    page = client.get(reverse("judging:round_setup", args=[round_.competition.slug, round_.slug]))
    form = page.context["rules_formset"]
    assert form.total_form_count() == 4 and form.initial_form_count() == 2
    again = {"rules-TOTAL_FORMS": "4", "rules-INITIAL_FORMS": "2"}
    for i, r in enumerate(rules):
        again.update({f"rules-{i}-id": str(r.pk), f"rules-{i}-kind": r.kind, f"rules-{i}-value": str(r.value)})
        again.update({f"rules-{i}-category": "", f"rules-{i}-group": ""})
    for i in (2, 3):
        again.update({f"rules-{i}-kind": "", f"rules-{i}-value": "", f"rules-{i}-category": "", f"rules-{i}-group": ""})
    assert client.post(url, again).status_code == 302
    assert [(r.kind, r.value) for r in SelectionRule.objects.filter(round=round_).order_by("order")] == [
        ("min_per_category", 1),
        ("max_per_region", 2),
    ]
    # infeasible: 3 per category with 2 categories and Top 2
    bad = dict(data, **{"rules-0-value": "3", "rules-1-kind": "", "rules-1-value": ""})
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "tidak mungkin dipenuhi" in response.content.decode() or "melebihi" in response.content.decode()
    assert SelectionRule.objects.filter(round=round_).count() == 2
    # a closed round refuses
    round_.state = "closed"
    round_.save()
    client.post(url, data)
    assert [(r.kind, r.value) for r in SelectionRule.objects.filter(round=round_).order_by("order")] == [
        ("min_per_category", 1),
        ("max_per_region", 2),
    ]


@pytest.mark.django_db
def test_dashboard_marks_and_the_announcement_method_note_counts_the_moves(client):
    round_, _cats = scored_round()
    SelectionRule.objects.create(round=round_, kind="min_per_category", value=1, order=1)
    a, b = organisers()
    client.force_login(a)
    args = [round_.competition.slug, round_.slug]
    dashboard = client.get(reverse("judging:round_dashboard", args=args)).content.decode()
    assert 'data-rule="in:min_per_category=1"' in dashboard
    assert "Masuk karena aturan: minimal 1 per kategori" in dashboard
    assert 'data-rule="out:min_per_category=1"' in dashboard
    services.close_round(round_=round_, actor=a, reason="Waktu habis")
    announcement = pub.prepare_announcement(round_=round_, actor=a, acknowledge_few_judges=True, **text_fields())
    assert [row.entry.code for row in announcement.rows.filter(outcome="selected").order_by("rank")] == ["X0", "X3"]
    pub.submit_for_approval(announcement=announcement, actor=a)
    pub.approve_announcement(announcement=announcement, actor=b)
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "Aturan seleksi: minimal 1 per kategori: 3 proposal dipindahkan oleh aturan ini." in body


@pytest.mark.django_db
def test_a_rule_changed_after_the_dashboard_was_seen_shows_at_once(client):
    round_, _cats = scored_round()
    client.force_login(OrganiserFactory())
    url = reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug])
    assert "rule-mark" not in client.get(url).content.decode()
    SelectionRule.objects.create(round=round_, kind="min_per_category", value=1, order=1)
    assert 'data-rule="in:min_per_category=1"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_rule_for_one_category_is_shown_by_the_categorys_name_not_its_key(client):
    round_, cats = scored_round()
    cats[1].name, cats[1].key = "Efektivitas institusi publik", "efektivitas-tpb"
    cats[1].save()
    SelectionRule.objects.create(round=round_, kind="min_per_category", value=1, category=cats[1], order=1)
    a, b = organisers()
    client.force_login(a)
    dashboard = client.get(reverse("judging:round_dashboard", args=[round_.competition.slug, round_.slug]))
    text = dashboard.content.decode()
    assert "Masuk karena aturan: minimal 1 per kategori Efektivitas institusi publik" in text
    assert "per kategori efektivitas-tpb" not in text
    sheet = load_workbook(io.BytesIO(results_bytes(round_, "xlsx", for_people=True)), read_only=True).active
    rules = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1]]
    assert "Masuk karena aturan: minimal 1 per kategori Efektivitas institusi publik" in rules
    assert b"in:min_per_category=1@efektivitas-tpb" in results_bytes(round_, "csv")  # files for machines keep keys
    services.close_round(round_=round_, actor=a, reason="Waktu habis")
    announcement = pub.prepare_announcement(round_=round_, actor=a, acknowledge_few_judges=True, **text_fields())
    pub.submit_for_approval(announcement=announcement, actor=a)
    pub.approve_announcement(announcement=announcement, actor=b)
    body = client.get(reverse("judging:public_announcement", args=[announcement.pk])).content.decode()
    assert "Aturan seleksi: minimal 1 per kategori Efektivitas institusi publik:" in body
