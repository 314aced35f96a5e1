"""Builders for publication tests: a closed desk round with four scored entries, a next round, two organisers."""

import datetime

from django.utils import timezone

from judging.publication import services as pub
from tests.factories import OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round
from tests.queue import run_deferred

CRITERIA = [("a", 3, 1, 10), ("b", 1, 1, 10)]
# entry code -> (a, b) per judge; totals fall in this order: E1 > E2 > E3 > E4
SCORES = {"E1": [(9, 9), (9, 8)], "E2": [(8, 7), (7, 7)], "E3": [(6, 6), (6, 5)], "E4": [(3, 4), (2, 2)]}


def closed_round(top_n=2, reserve_n=1):
    round_ = make_round(CRITERIA, top_n=top_n, reserve_n=reserve_n, state="open", k=2)
    judges = [add_judge(round_), add_judge(round_)]
    entries = {}
    for minutes, (code, sheets) in enumerate(SCORES.items()):
        entry = add_entry(round_, code, minutes=minutes)
        entries[code] = entry
        for judge, (a, b) in zip(judges, sheets, strict=True):
            add_sheet(round_, entry, judge, {"a": a, "b": b})
    round_.state = "closed"
    round_.save(update_fields=["state"])
    next_round = make_round(
        CRITERIA, competition=round_.competition, state="setup", kind="presentation", slug="presentasi", order=2
    )
    return round_, next_round, entries, judges


def organisers():
    return OrganiserFactory(full_name="Organiser A"), OrganiserFactory(full_name="Organiser B")


def text_fields(**overrides):
    fields = {
        "number": "065/134/II/B",
        "title": "Top 2",
        "date": datetime.date(2023, 2, 20),
        "place": "Makassar",
        "signatory_name": "Dr. Kepala Biro",
        "signatory_title": "Kepala Biro Organisasi",
        "letterhead": "PEMERINTAH PROVINSI SULAWESI SELATAN",
        "body": "Dengan ini diumumkan.",
        "embargo_until": timezone.now() - datetime.timedelta(minutes=1),
    }
    fields.update(overrides)
    return fields


def published(round_, a, b, **overrides):
    announcement = pub.prepare_announcement(round_=round_, actor=a, **text_fields(**overrides))
    pub.submit_for_approval(announcement=announcement, actor=a)
    approved = pub.approve_announcement(announcement=announcement, actor=b)
    run_deferred()  # what the worker does once it is public: outcome mails queued, records built (tests/queue.py)
    return approved


def listed(announcement):
    return list(announcement.rows.order_by("rank").values_list("entry_code", "outcome"))
