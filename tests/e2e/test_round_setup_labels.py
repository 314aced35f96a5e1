"""Browser test: on the round setup page each form has its own element ids, so clicking a judge's name in
"Tugaskan manual" ticks that form's box, not the one of "Tambah juri" (and the other way round)."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, JudgeFactory, OrganiserFactory
from tests.judging.scoring.helpers import add_entry, add_judge, make_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clicking_a_label_ticks_the_box_of_its_own_form(page, live_server):
    round_ = make_round([("a", 1, 1, 10)], top_n=1, reserve_n=0, k=1)
    add_entry(round_, "E1")
    add_judge(round_, full_name="Juri Dalam Babak")
    JudgeFactory(full_name="Juri Luar Babak")
    organiser = OrganiserFactory()
    login(page, live_server, organiser.email, PASSWORD)
    page.goto(f"{live_server.url}/penilaian/babak/{round_.competition.slug}/{round_.slug}/atur/")
    page.get_by_text("Tambah juri", exact=True).click()
    page.get_by_text("Tugaskan manual", exact=True).click()
    add_form = page.locator("form[action$='/judges/']")
    assign_form = page.locator("form[action$='/assign/']")
    assign_form.get_by_text("Juri Dalam Babak").click()
    assert assign_form.get_by_label("Juri Dalam Babak").is_checked()
    add_form.get_by_text("Juri Luar Babak").click()
    assert add_form.get_by_label("Juri Luar Babak").is_checked()
    assert assign_form.get_by_label("Juri Dalam Babak").is_checked()  # still ticked: nothing else toggled it
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
