"""entries' seeder for `manage.py seed_demo` (registered in EntriesConfig.ready, order 100).

kipp-sulsel-2023: N entries (--entries, default 141) over the 24 kabupaten/kota, verified and administratively
selected (most eligible, a few ineligible with reasons), including the two Jeneponto entries of the source article.
kipp-sulsel-2027: a few drafts and one returned entry. Idempotent (entries are found by competition + code or
title), deterministic (ctx.rng("entries")), fast (bulk_create; small Pillow-drawn photos and a tiny PDF decree).
"""

from entries.demo.year2023 import seed_2023
from entries.demo.year2027 import seed_2027
from kipp.models import Competition


def seed_entries(ctx):
    competition = Competition.objects.filter(slug="kipp-sulsel-2023").first()
    if competition is None:
        ctx.log("entries: kipp-sulsel-2023 not found; run kipp's seeder first.")
        return
    rng = ctx.rng("entries")
    seed_2023(ctx, competition, rng)
    upcoming = Competition.objects.filter(slug="kipp-sulsel-2027").first()
    if upcoming is not None:
        seed_2027(ctx, upcoming, rng)
