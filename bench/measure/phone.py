"""Phone (issue 15, item 8): the judge's queue and a sheet page as a phone loads them, in a real Chromium.

Against the benchmark's gunicorn (DEBUG off, whitenoise serving the collected static files), Playwright drives the
system Chromium (the flags of tests/e2e/conftest.py) at a phone's size (390 x 844, touch). Each figure is one first
load in a fresh browser context (empty cache, no service worker yet), signed in as the first panelist of the round
of bench/measure/phone_fixture.py:
- transferred: the sum of Network.loadingFinished encodedDataLength (the bytes on the wire: headers and the
  compressed body) of every response of the page's first load (HTML, CSS, JS, images, fonts), until the network is
  idle; target at most 100 kB for the queue and for a sheet page. Beside it, the same per type and whether the body
  came compressed (Content-Encoding), and the bytes once the page is scrolled to its end (the lazy photos). A
  service worker's own fetches (what it keeps for offline use) are not the page's: they are shown on a line of
  their own, outside the figure;
- slow 3G: the sheet page again, with Network.emulateNetworkConditions at 400 kbit/s down and up and 400 ms
  latency. Usable = the first score control of the form is visible (its button or its input) and its input enabled
  (noted by a watcher on each animation frame, WATCH_JS), after DOMContentLoaded and the first contentful paint
  (before that paint nothing shows): the latest of the three, in the page's own clock from the start of the
  navigation; target at most 3 s. Median of 5 loads (a loaded machine makes single loads swing).
"""

import os
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from playwright.sync_api import sync_playwright

from bench.measure.burst import session_cookie_for
from bench.measure.common import Row
from bench.measure.phone_fixture import ENTRIES, FINAL, pages, phone_round

BUDGET_BYTES = 100_000
USABLE_SECONDS = 3.0
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Added to the page by the DevTools protocol before its first byte (not by the portal; CSP does not apply to it): on
# every animation frame (frames run only once the render-blocking stylesheets are in), note the page's time at the
# first frame in which the first criterion's score control is visible and its input enabled.
WATCH_JS = """(() => {
  const control = "form[data-score-form] fieldset.criterion";
  const look = () => {
    const shown = document.querySelector(`${control} .score-option, ${control} input:not([type=hidden])`);
    const input = document.querySelector(`${control} input:not([type=hidden])`);
    if (shown && input && !input.disabled && shown.checkVisibility() && shown.getBoundingClientRect().height > 0) {
      window.kippBenchUsable = performance.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})();"""
READY_JS = """() => window.kippBenchUsable !== undefined && document.readyState !== "loading"
  && performance.getEntriesByName("first-contentful-paint").length > 0"""
TIMES_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {shown: window.kippBenchUsable, dcl: nav.domContentLoadedEventEnd, fcp: paint.startTime};
}"""


def kind_of(mime, url):
    if mime == "text/html":
        return "HTML"
    if mime == "text/css" or url.endswith(".css"):
        return "CSS"
    if "javascript" in mime or url.endswith(".js"):
        return "JS"
    if mime.startswith("image/"):
        return "images"
    if mime.startswith("font/") or "font" in mime:
        return "fonts"
    return "other"


class Transfers:
    """Every response of a page, from the DevTools protocol: {request id: [kind, encoded bytes, Content-Encoding]}."""

    def __init__(self, cdp):
        self.responses = {}
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def _received(self, event):
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        kind = kind_of(response.get("mimeType", ""), response.get("url", ""))
        self.responses[event["requestId"]] = [kind, 0, headers.get("content-encoding", "")]

    def _finished(self, event):
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]][1] = int(event["encodedDataLength"])

    def total(self):
        return sum(size for _kind, size, _encoding in self.responses.values())

    def by_kind(self):
        out = {}
        for kind, size, encoding in self.responses.values():
            n, total, encodings = out.get(kind, (0, 0, set()))
            out[kind] = (n + 1, total + size, encodings | {encoding or "none"})
        return out


def kb(n):
    return f"{n / 1000:,.1f} kB"


def _context(browser, base_url, cookie):
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar", **PHONE)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context


@dataclass
class FirstLoad:
    status: int
    transfers: Transfers  # the page's own responses until the network was idle
    scrolled: int  # bytes of the page's responses once scrolled to its end
    worker_responses: int  # a service worker's own fetches meanwhile (e.g. what it keeps for offline use)
    worker_bytes: int


def first_load(browser, base_url, path, cookie):
    """One first load with an empty cache (see the module's docstring)."""
    context = _context(browser, base_url, cookie)
    try:
        page = context.new_page()
        worker_requests = []
        context.on("requestfinished", lambda r: worker_requests.append(r) if r.service_worker else None)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        transfers = Transfers(cdp)
        response = page.goto(base_url + path, wait_until="networkidle")
        loaded = {key: list(value) for key, value in transfers.responses.items()}
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        scrolled = transfers.total()
        transfers.responses = loaded
        sizes = [r.sizes() for r in worker_requests]
        worker_bytes = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
        return FirstLoad(response.status if response else 0, transfers, scrolled, len(sizes), worker_bytes)
    finally:
        context.close()


def usable_on_slow_3g(browser, base_url, path, cookie):
    """Seconds from the start of the navigation until the first score control is usable (see the module's
    docstring), and DOMContentLoaded and first contentful paint, on emulated slow 3G with an empty cache."""
    context = _context(browser, base_url, cookie)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        page.add_init_script(WATCH_JS)
        page.goto(base_url + path, wait_until="domcontentloaded", timeout=60_000)
        # Polled from here (page.wait_for_function would evaluate a string in the page, which its CSP forbids); the
        # figures are the page's own times, so how often this asks does not change them.
        deadline = time.monotonic() + 30
        while not page.evaluate(READY_JS):
            if time.monotonic() > deadline:
                return None  # the score control never became visible and enabled
            page.wait_for_timeout(50)
        times = page.evaluate(TIMES_JS)
        usable = max(times["shown"], times["dcl"], times["fcp"])
        return usable / 1000, times["dcl"] / 1000, times["fcp"] / 1000
    finally:
        context.close()


def _breakdown(transfers):
    parts = []
    for kind, (n, total, encodings) in sorted(transfers.by_kind().items(), key=lambda item: -item[1][1]):
        parts.append(f"{kind} {kb(total)} ({n}, {'/'.join(sorted(encodings))})")
    return "; ".join(parts)


def _load_rows(label, load):
    if load.status != 200:
        return [Row("phone", f"{label}: first load", f"HTTP {load.status}", "200", False)]
    total = load.transfers.total()
    rows = [
        Row(
            "phone",
            f"{label}: first load transferred, phone, empty cache ({len(load.transfers.responses)} responses)",
            kb(total),
            f"<= {kb(BUDGET_BYTES)}",
            total <= BUDGET_BYTES,
        ),
        Row("phone", f"  {label}: by type (responses, Content-Encoding)", _breakdown(load.transfers)),
    ]
    if load.scrolled != total:
        rows.append(Row("phone", f"  {label}: after scrolling to the end (lazy photos)", kb(load.scrolled)))
    if load.worker_responses:
        rows.append(
            Row(
                "phone",
                f"  {label}: the service worker's own fetches meanwhile ({load.worker_responses}, not in the figure)",
                kb(load.worker_bytes),
            )
        )
    return rows


def measure_phone(port):
    """The rows of the phone section (gunicorn already listening on `port`)."""

    round_, judge = phone_round()
    paths = pages(round_, judge)
    cookie = session_cookie_for(judge)
    base_url = f"http://127.0.0.1:{port}"
    executable = os.environ.get("KIPP_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        return [Row("phone", "Judge's pages in Chromium", f"not measured: no Chromium at {executable} (KIPP_CHROMIUM)")]
    rows = []
    # Playwright's sync API runs an event loop in this thread: every database read is done above.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            labels = {"queue": f"Judge's queue ({ENTRIES} entries, {FINAL} final)", "sheet": "Sheet page"}
            for name, label in labels.items():
                load = first_load(browser, base_url, paths[name], cookie)
                rows += _load_rows(label, load)
            runs = [usable_on_slow_3g(browser, base_url, paths["sheet"], cookie) for _ in range(5)]
        finally:
            browser.close()
    if any(run is None for run in runs):
        rows.append(Row("phone", "Sheet page on slow 3G: score inputs visible and enabled", "no", "yes", False))
        return rows
    usable = statistics.median(run[0] for run in runs)
    dcl = statistics.median(run[1] for run in runs)
    fcp = statistics.median(run[2] for run in runs)
    rows.append(
        Row(
            "phone",
            "Sheet page on slow 3G (400 kbit/s, 400 ms): usable (score inputs visible and enabled), median of 5",
            f"{usable:.2f} s (DOMContentLoaded {dcl:.2f} s, first paint {fcp:.2f} s)",
            f"<= {USABLE_SECONDS:.0f} s",
            usable <= USABLE_SECONDS,
        )
    )
    return rows
