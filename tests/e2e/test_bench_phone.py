"""The phone section of `make bench` (bench/measure/phone.py): its measurements in the real Chromium, against the
live server."""

import pytest

from bench.measure.burst import session_cookie_for
from bench.measure.phone import first_load, usable_on_slow_3g
from bench.measure.phone_fixture import pages, phone_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_phone_measurements_count_every_response_and_feel_the_slow_connection(browser, live_server, media_root):
    round_, judge = phone_round()
    paths = pages(round_, judge)
    cookie = session_cookie_for(judge)

    load = first_load(browser, live_server.url, paths["sheet"], cookie)
    assert load.status == 200
    transfers = load.transfers
    kinds = transfers.by_kind()
    assert {"HTML", "CSS", "JS"} <= set(kinds)
    assert kinds["HTML"][0] == 1 and kinds["HTML"][2] == {"gzip"}  # the sheet page itself, compressed
    assert transfers.total() == sum(total for _n, total, _enc in kinds.values())
    assert load.scrolled >= transfers.total()

    measured = usable_on_slow_3g(browser, live_server.url, paths["sheet"], cookie)
    assert measured is not None  # the score control became visible with its input enabled
    usable, dcl, fcp = measured
    assert usable >= max(dcl, fcp)
    assert usable >= 0.8  # the page and then its stylesheet, 400 ms of latency each: the emulation is on
