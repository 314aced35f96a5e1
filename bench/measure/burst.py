"""5. The burst: 64 judges submit their sheets at the same moment, over HTTP."""

import gc
import http.client
import re
import socket
import threading
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from bench.measure.common import Row, median, ms, p95
from bench.measure.server import drain, http_get, parse_cookies
from bench.seed import reset_burst
from judging.models import Criterion, ScoreSheet


def session_cookie_for(user):
    """A logged-in session for `user` (what Client.force_login does), without hashing a password 64 times."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "kipp.auth.EmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def burst_request(port, path, data, cookies):
    """The bytes of one judge's submit: the same request a browser sends (form body, session and CSRF cookies)."""
    body = urlencode(data).encode()
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def prepare_submits(port, round_):
    """Each judge of the burst round logs in and loads their sheet page; returns the values each will send and the
    bytes of each judge's submit request (session and CSRF cookies, form body)."""
    criteria = list(Criterion.objects.filter(round=round_).order_by("order", "id"))
    assignments = list(round_.assignments.select_related("judge").order_by("id"))
    sent = {}
    prepared = []
    for index, assignment in enumerate(assignments):
        cookies = {settings.SESSION_COOKIE_NAME: session_cookie_for(assignment.judge)}
        path = reverse("judging:sheet", args=[assignment.pk])
        status, body, set_cookie = http_get(port, path, cookies)
        if status != 200:
            raise RuntimeError(f"sheet page answered {status} for {assignment.judge.email}")
        cookies.update(parse_cookies(set_cookie))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        values = {c.pk: 1 + (index + i) % 10 for i, c in enumerate(criteria)}
        sent[assignment.pk] = values
        data = {"csrfmiddlewaretoken": token, "version": "0", "overall_comment": "", "action": "submit"}
        data.update({f"score_{pk}": str(v) for pk, v in values.items()})
        prepared.append(burst_request(port, path, data, cookies))
    return sent, prepared


def send_all_at_once(port, prepared):
    """Every request on its own open connection, released by one barrier; returns (latency, status, Location) of
    each. Latency: from the moment a request is sent to the moment its whole response has arrived."""
    barrier = threading.Barrier(len(prepared))
    results = [None] * len(prepared)

    def submit(i, sock, request):
        response = http.client.HTTPResponse(sock)
        barrier.wait()
        start = time.perf_counter()
        sock.sendall(request)
        response.begin()
        response.read()
        results[i] = (time.perf_counter() - start, response.status, response.getheader("Location", ""))
        response.close()
        sock.close()

    sockets = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in prepared]
    threads = [threading.Thread(target=submit, args=(i, sockets[i], r)) for i, r in enumerate(prepared)]
    # The load generator is not what is measured: no garbage collection of this (large) benchmark process while the
    # 64 requests are in flight.
    gc.collect()
    gc.disable()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        gc.enable()
    return results


def one_burst(port, comp):
    """64 judges, each with a logged-in session and the sheet page loaded, submit at the same moment. Every judge's
    connection is open and its request bytes are ready before the barrier; after it each thread only sends its
    request and reads the answer, so the client's own work does not take the CPUs from the server."""
    drain(port)  # nothing left queued from an earlier step
    round_ = reset_burst(comp)
    sent, prepared = prepare_submits(port, round_)
    results = send_all_at_once(port, prepared)
    latencies = [r[0] for r in results]
    redirects = sum(1 for r in results if r[1] == 302)
    stored = {
        sheet.assignment_id: {s.criterion_id: s.value for s in sheet.scores.all()}
        for sheet in ScoreSheet.objects.filter(assignment__round=round_, state="final").prefetch_related("scores")
    }
    return sent, stored, redirects, latencies


def one_at_a_time(port, comp):
    """The same 64 submits sent one after another (each on its own connection, the next only after the previous
    answer): the service time of a submit without any queueing. Returns the latencies."""
    drain(port)
    round_ = reset_burst(comp)
    _sent, prepared = prepare_submits(port, round_)
    latencies = []
    for request in prepared:
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        response = http.client.HTTPResponse(sock)
        start = time.perf_counter()
        sock.sendall(request)
        response.begin()
        response.read()
        latencies.append(time.perf_counter() - start)
        response.close()
        sock.close()
    return latencies


def measure_burst(port, comp, bursts=5, workers=2):
    """The burst, once to warm the workers up and then `bursts` times (the round's sheets deleted before each):
    every burst, the warm-up included, must store exactly what was sent; the latency target is on the median of the
    timed bursts' p95 (one burst of 64 on 2 CPUs swings by +-20%), and every timed burst's figures are shown."""
    warmup = one_burst(port, comp)  # the workers' first run of the submit path (imports, caches): not timed
    runs = [one_burst(port, comp) for _ in range(bursts)]
    equal = all(stored == sent and redirects == len(sent) for sent, stored, redirects, _lat in [warmup, *runs])
    sent, stored, redirects, _lat = runs[-1]
    service = median(one_at_a_time(port, comp))  # one submit at a time: the service time without queueing
    floor = len(sent) / workers * service
    p95s = [p95(latencies) for *_rest, latencies in runs]
    per_burst = ", ".join(
        f"{ms(median(latencies))} / {ms(p95(latencies))} / {ms(min(latencies))}" for *_rest, latencies in runs
    )
    return [
        Row(
            "burst",
            f"{len(sent)} judges submit at once, {bursts} bursts: sheets sent / stored final (equal values)",
            f"{len(sent)} / {len(stored)} ({'equal' if equal else 'DIFFERENT'}; {redirects} redirects)"
            + ", every burst",
            "equal",
            equal,
        ),
        Row(
            "burst",
            "  submit latency per burst: median / p95 / fastest (fastest = service time without queueing)",
            per_burst,
            "",
            None,
        ),
        Row(
            "burst",
            f"  submit latency p95, median of the {bursts} bursts",
            ms(median(p95s)),
            "p95 <= 200 ms",
            median(p95s) <= 0.200,
        ),
        Row(
            "burst",
            f"  p95 / queueing floor ({len(sent)} / {workers} workers x median service time {ms(service)}) / ratio",
            f"{ms(median(p95s))} / {ms(floor)} / {median(p95s) / floor:.2f}x",
            "<= 1.2x",
            median(p95s) <= 1.2 * floor,
        ),
    ]
