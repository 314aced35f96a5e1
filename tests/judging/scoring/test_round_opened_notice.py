"""Opening a round tells each assigned judge, in their language, how many entries wait for them (kipp.mail)."""

import pytest
from django.conf import settings

from judging.scoring import services
from tests.factories import JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round
from tests.outbox import sent_mail

pytestmark = pytest.mark.django_db


def test_each_assigned_judge_is_told_in_their_language(mailoutbox):
    round_ = make_round([("a", 1, 1, 10)], state="setup", slug="penilaian-proposal")
    first, second = add_entry(round_, "E1"), add_entry(round_, "E2")
    andi = add_judge(round_, JudgeFactory(full_name="Dr. Andi Rahman", email="andi@example.org", language="id"))
    clara = add_judge(round_, JudgeFactory(full_name="Clara Smith", email="clara@example.org", language="en"))
    add_judge(round_, JudgeFactory(email="idle@example.org"))  # no assignment: no mail
    for entry in (first, second):
        services.assign(round_=round_, entry=entry, judge=andi)
    services.assign(round_=round_, entry=first, judge=clara)

    services.open_round(round_=round_, actor=OrganiserFactory())

    by_address = {m.to[0]: m for m in sent_mail()}
    assert set(by_address) == {"andi@example.org", "clara@example.org"}
    queue = f"{settings.SITE_URL}/penilaian/saya/"
    indonesian, english = by_address["andi@example.org"], by_address["clara@example.org"]
    assert indonesian.subject == f"Penilaian dibuka: {round_.name}"
    assert indonesian.body == (
        f"Yth. Dr. Andi Rahman,\n\nBabak {round_.name} telah dibuka. Ada 2 proposal untuk Anda nilai di {queue}."
    )
    assert english.subject == f"Evaluation open: {round_.name}"
    assert english.body.startswith("Dear Clara Smith,\n\nThe round ")
    assert f"There are 1 proposals for you to score at {queue}." in english.body
