"""The subject of an innovator's outcome mail reads well whatever the announcement's title: the default titles
already start with "Hasil" ("Hasil Penilaian proposal KIPP ...: Top 2"), so the subject is the title with the entry's
code, never "Hasil Hasil ..." nor "Koreksi hasil Hasil ..."; in Indonesian and in English, for a round's and a final
announcement and for a correction."""

import pytest

from judging.models import Round
from judging.publication import services as pub
from judging.publication.defaults import initial_fields
from tests.factories import InnovatorFactory
from tests.judging.publication.helpers import closed_round, organisers, published, text_fields
from tests.judging.scoring.helpers import add_judge, add_sheet
from tests.outbox import sent_mail
from tests.queue import run_deferred

pytestmark = pytest.mark.django_db


def _subjects(people):
    by_address = {message.to[0]: message.subject for message in sent_mail()}
    return {code: by_address[person.email] for code, person in people.items()}


def _people(entries, codes, language="id"):
    return {code: InnovatorFactory(agency=entries[code].agency, language=language) for code in codes}


def _default_title(round_, kind="round"):
    return initial_fields(round_, kind)["title"]


def test_a_default_title_gives_a_subject_without_a_doubled_hasil():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    people = _people(entries, ["E1"])
    people_en = _people(entries, ["E2"], language="en")
    title = _default_title(round_)
    assert title.startswith("Hasil ")
    sent_mail().clear()
    published(round_, a, b, title=title)
    assert _subjects(people) == {"E1": f"{title} (proposal E1)"}
    assert _subjects(people_en) == {"E2": f"{title} (entry E2)"}
    for subject in (*_subjects(people).values(), *_subjects(people_en).values()):
        assert "Hasil Hasil" not in subject and "Result of Hasil" not in subject


def test_any_other_title_reads_well_too():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    people = _people(entries, ["E1"])
    sent_mail().clear()
    published(round_, a, b, title="Pengumuman Top 2 KIPP Sulsel 2023")
    assert _subjects(people) == {"E1": "Pengumuman Top 2 KIPP Sulsel 2023 (proposal E1)"}


def test_a_correction_subject_says_correction_once():
    round_, _next, entries, _judges = closed_round()
    a, b = organisers()
    first = published(round_, a, b, title=_default_title(round_))
    people = _people(entries, ["E1"])
    people_en = _people(entries, ["E2"], language="en")
    sent_mail().clear()
    correction = pub.prepare_correction(announcement=first, actor=a, correction_note="Salah ketik nomor.")
    pub.submit_for_approval(announcement=correction, actor=a)
    pub.approve_announcement(announcement=correction, actor=b)
    run_deferred()
    assert _subjects(people) == {"E1": f"Koreksi: {correction.title} (proposal E1)"}
    assert _subjects(people_en) == {"E2": f"Correction: {correction.title} (entry E2)"}
    assert not any("hasil Hasil" in s or "Result of Hasil" in s for s in _subjects(people | people_en).values())


def test_a_final_announcement_with_its_default_title():
    desk, second, entries, _judges = closed_round(top_n=3, reserve_n=0)
    a, b = organisers()
    published(desk, a, b)
    Round.objects.filter(pk=desk.pk).update(weight=70)
    second.weight, second.top_n, second.reserve_n, second.state = 30, 2, 0, "open"
    second.save()
    panel = [add_judge(second), add_judge(second)]
    for code in ("E1", "E2", "E3"):
        for judge in panel:
            add_sheet(second, entries[code], judge, {"a": 7, "b": 7})
    second.state = "closed"
    second.save()
    people = _people(entries, ["E1"])
    people_en = _people(entries, ["E2"], language="en")
    title = _default_title(second, "final")
    sent_mail().clear()
    final = pub.prepare_announcement(
        round_=second,
        actor=a,
        kind="final",
        acknowledge_few_judges=True,
        **text_fields(number="065/312/III/B", title=title),
    )
    pub.submit_for_approval(announcement=final, actor=a)
    pub.approve_announcement(announcement=final, actor=b)
    run_deferred()
    assert _subjects(people) == {"E1": f"{title} (proposal E1)"}
    assert _subjects(people_en) == {"E2": f"{title} (entry E2)"}
