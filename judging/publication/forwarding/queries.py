"""Reads of forwarding upward: the public final list a competition nominates from, what feeds what, the quota
used per organisation and the provenance of an upper entry."""

from django.db.models import Count, Exists, OuterRef, Q

from judging.models import AnnouncementRow, Feed, FeedingRule, Nomination
from judging.publication.enums import AnnouncementKind
from judging.publication.queries import visible_announcements
from judging.scoring.enums import Outcome
from kipp.models import Competition
from kipp.organisations.enums import OrganisationLevel

# How high an organisation stands: a competition is fed only by competitions of lower organisations.
LEVEL_HEIGHT = {OrganisationLevel.REGION: 1, OrganisationLevel.PROVINCE: 2, OrganisationLevel.NATIONAL: 3}


def public_final_announcement(competition, now=None):
    """The competition's final announcement as the public sees it now: the latest visible version of a final
    announcement that no visible correction replaces; None while no final result is public."""
    visible = visible_announcements(now)
    return (
        visible.filter(kind=AnnouncementKind.FINAL, round__competition=competition)
        .exclude(Exists(visible.filter(previous=OuterRef("pk"))))
        .select_related("round__competition")
        .order_by("-published_at", "-id")
        .first()
    )


def final_list(announcement):
    """The selected rows of a final announcement (what may be nominated), in rank order. One query."""
    return (
        AnnouncementRow.objects.filter(announcement=announcement, outcome=Outcome.SELECTED)
        .select_related("entry")
        .order_by("rank")
    )


def lower_candidates(competition):
    """The competitions that may feed `competition`: those of organisations below its organisation (a province's
    competition: the kabupaten/kota of that province; the national one: every province and kabupaten/kota)."""
    organisation = competition.organisation
    height = LEVEL_HEIGHT[organisation.level]
    lower_levels = [level for level, h in LEVEL_HEIGHT.items() if h < height]
    candidates = Competition.objects.filter(organisation__level__in=lower_levels).exclude(pk=competition.pk)
    if organisation.level == OrganisationLevel.PROVINCE:
        candidates = candidates.filter(organisation__region__province_id=organisation.province_id)
    return candidates.select_related("organisation").order_by("organisation__name", "-year", "name")


def feeding_rule(competition):
    return FeedingRule.objects.filter(competition=competition).first()


def fed_competitions(lower):
    """The upper competitions that accept nominations from `lower`, with their rule."""
    return (
        Competition.objects.filter(feeding_rule__feeds__lower=lower)
        .select_related("feeding_rule", "organisation")
        .order_by("-year", "name")
    )


def used_quota(upper, organisation_id):
    return Nomination.objects.filter(competition=upper, organisation_id=organisation_id).count()


def quota_usage(rule):
    """[{"organisation": Organisation, "competitions": [names], "used": int}] for every organisation feeding the
    rule's competition, by name. Two queries."""
    feeds = list(Feed.objects.filter(rule=rule).select_related("lower__organisation"))
    used = dict(
        Nomination.objects.filter(competition_id=rule.competition_id)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    rows = {}
    for feed in feeds:
        organisation = feed.lower.organisation
        row = rows.setdefault(organisation.pk, {"organisation": organisation, "competitions": [], "used": 0})
        row["competitions"].append(feed.lower.name)
        row["used"] = used.get(organisation.pk, 0)
    return sorted(rows.values(), key=lambda r: r["organisation"].name)


def nominations_into(upper):
    """The nominations that arrived in `upper`, by feeding organisation and rank, with their drafts (one query)."""
    return (
        Nomination.objects.filter(competition=upper)
        .select_related("entry__agency", "lower_competition", "organisation")
        .order_by("organisation__name", "rank", "id")
    )


def nominated_entry_ids(upper, lower):
    """{lower entry id: upper entry} of the entries of `lower` nominated into `upper`."""
    rows = Nomination.objects.filter(competition=upper, lower_competition=lower).select_related("entry")
    return {n.lower_entry_id: n.entry for n in rows}


def forwarding_overview(organisation_ids):
    """The organiser's forwarding page: (upper competitions the person organises, with their rule; lower
    competitions the person organises that feed some upper competition). `organisation_ids` None: every one.
    Three queries, whatever the number of competitions."""
    mine = Q() if organisation_ids is None else Q(organisation_id__in=organisation_ids)
    uppers = list(
        Competition.objects.filter(mine)
        .filter(organisation__level__in=[OrganisationLevel.PROVINCE, OrganisationLevel.NATIONAL])
        .select_related("organisation", "feeding_rule")
        .annotate(feed_count=Count("feeding_rule__feeds", distinct=True))
        .order_by("-year", "name")
    )
    feeds = list(
        Feed.objects.filter(Q() if organisation_ids is None else Q(lower__organisation_id__in=organisation_ids))
        .select_related("lower__organisation", "rule__competition__organisation")
        .order_by("lower__name", "rule__competition__name")
    )
    return uppers, feeds


def nomination_of(entry):
    """The nomination by which `entry` arrived in its competition, with what the provenance panel shows; or
    None. One query."""
    return (
        Nomination.objects.filter(entry=entry)
        .select_related("lower_competition__organisation", "lower_entry", "announcement")
        .first()
    )


def nominations_from(entry):
    """Where `entry` was nominated to (its lower side): the nominations, with the upper competitions. One query."""
    return list(Nomination.objects.filter(lower_entry=entry).select_related("competition", "entry"))
