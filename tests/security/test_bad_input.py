"""Bad input never 500s (issue 17, findings 5 and 14, items 6 and 10): NUL bytes, control characters and bytes
that are not UTF-8 in paths, query strings, form fields, headers and cookies get the 400 page (JSON under /api/),
with or without DEBUG; search and paging inputs are bounded. Tried over every URL pattern (tests/urlwalk.py), as a
visitor and as a signed-in innovator, judge and organiser (tests/world.py)."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client

from entries.models import Entry
from judging.records.queries import SEARCH_MAX_TERMS, search_terms
from kipp.models import AuditEvent
from tests.test_permission_matrix import add_objects, args_for
from tests.urlwalk import project_routes
from tests.world import build_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGE_MESSAGE = "karakter yang tidak dapat dibaca"
BAD_VALUES = ("%00", "%ff", "%ED%A0%80", "a%01b", "%7f")  # NUL, not UTF-8, an encoded lone surrogate, controls
HUGE = str(10**18)
# Query strings that pass the input check and reach the views: bounds of search and paging.
ODD_QUERIES = (
    "q=" + "-" * 40 + "&page=" + HUGE,
    "page=-1&page_size=0&halaman=" + HUGE,
    "page=0&page_size=" + HUGE + "&semua=1",
    "q=" + "%22" * 40 + "&region=" + HUGE + "&agency=" + HUGE + "&year=" + HUGE,
    "competition=" + HUGE + "&category=" + HUGE + "&status=x&format=csv",
)
ROLES = ("anonymous", "owner", "judge", "organiser")


class Rollback(Exception):
    pass


def request(client, method, url, **extra):
    """One request in a transaction that is rolled back: no request changes what the next one sees."""
    try:
        with transaction.atomic():
            response = client.get(url, **extra) if method == "GET" else client.post(url, **extra)
            raise Rollback(response)
    except Rollback as done:
        return done.args[0]


def assert_bad_request(response, url):
    assert response.status_code == 400, f"{url}: {response.status_code}"
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json"), url
        assert "error" in json.loads(response.content), url
    else:
        text = response.content.decode()
        assert PAGE_MESSAGE in text, url
        assert "Traceback" not in text and "DATABASE" not in text, url


def assert_answered(response, url):
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if url.startswith("/api/") and response.status_code != 304:
        assert response["Content-Type"].startswith(("application/json", "text/csv")), url


def test_every_url_pattern_refuses_bad_input_and_never_answers_500(media_root):
    world = build_world()
    add_objects(world)
    routes = project_routes()
    assert len(routes) > 80
    people = world.people()
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if people[role] is not None:
            client.force_login(people[role])
        for index, route in enumerate(routes):
            url = route.url(**args_for(route.name, world, role))
            bad = BAD_VALUES[index % len(BAD_VALUES)]
            if route.params():
                filled = route.url(**{name: bad for name, _ in route.params()})
                assert_bad_request(request(client, "GET", filled), filled)
            bad_query = f"{url}?q=%00&page=%00"
            assert_bad_request(request(client, "GET", bad_query), bad_query)
            response = request(client, "POST", url, data={"title": "Judul\x00", "alasan": "x"})
            assert_bad_request(response, url)
            odd = f"{url}?{ODD_QUERIES[index % len(ODD_QUERIES)]}"
            assert_answered(request(client, "GET", odd), odd)


def test_the_reported_urls_answer_400_and_the_api_answers_json(client):
    response = client.get("/inovasi/?q=%00")
    assert_bad_request(response, "/inovasi/?q=%00")
    assert "Permintaan tidak dapat dibaca (400)" in response.content.decode()
    response = client.get("/api/v1/records/%00/")
    assert response.status_code == 400
    assert response.json() == {"error": "control character in path"}


def test_bad_input_gets_the_400_page_with_debug_on_too(client, settings):
    settings.DEBUG = True
    for url in ("/inovasi/?q=%00", "/proposal/%00/", "/api/v1/records/?q=%ff"):
        assert_bad_request(client.get(url), url)


@pytest.mark.parametrize(
    "url",
    [
        "/inovasi/?q=%00",
        "/inovasi/?q=%ff",
        "/inovasi/?q=a%0bb",
        "/inovasi/%ff/",
        "/inovasi/%00/",
        "/api/v1/records/?q=%C0%80",  # an over-long NUL: not UTF-8
        "/api/v1/announcements/%00/results/",
        "/static/%00",
    ],
)
def test_undecodable_paths_and_queries_are_refused(client, url):
    assert_bad_request(client.get(url), url)


def test_text_that_is_merely_unusual_is_accepted(client):
    """Accented letters, tabs and line breaks are text: no 400."""
    assert client.get("/inovasi/?q=caf%C3%A9%09sekolah").status_code == 200
    assert client.get("/inovasi/caf%C3%A9/").status_code == 404
    assert client.get("/api/v1/records/caf%C3%A9/").status_code == 404


def test_a_nul_in_a_form_field_is_refused_and_nothing_changes(media_root):
    world = build_world()
    client = Client()
    client.force_login(world.owner)
    before = Entry.objects.values("title", "short_name", "updated_at").get(pk=world.draft.pk)
    events = AuditEvent.objects.count()
    url = f"/proposal/{world.draft.pk}/ubah/"
    for data in ({"title": "Judul\x00baru", "short_name": "X"}, {"title\x01": "Judul baru", "short_name": "X"}):
        response = client.post(url, data)
        assert_bad_request(response, url)
    response = client.post(url, "title=Judul%ffbaru", content_type="application/x-www-form-urlencoded")
    assert_bad_request(response, url)
    assert Entry.objects.values("title", "short_name", "updated_at").get(pk=world.draft.pk) == before
    assert AuditEvent.objects.count() == events


def test_a_nul_in_a_multipart_field_is_refused_and_nothing_is_stored(media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from entries.models import Attachment
    from tests.world import png

    world = build_world()
    client = Client()
    client.force_login(world.owner)
    url = f"/proposal/{world.draft.pk}/lampiran/"
    attachments = Attachment.objects.count()
    for data in ({"title": "Foto\x00"}, {"judul\x00": "Foto"}):
        data["file"] = SimpleUploadedFile("foto.png", png(), content_type="image/png")
        assert_bad_request(client.post(url, data), url)  # multipart
    assert Attachment.objects.count() == attachments
    # A NUL in an uploaded file's name never reaches the portal: Django's parser drops it.
    response = client.post(url, {"file": SimpleUploadedFile("foto\x00.png", png(), content_type="image/png")})
    assert response.status_code < 500
    assert all("\x00" not in name for name in Attachment.objects.values_list("original_name", flat=True))


def test_a_nul_in_a_cookie_or_a_header_is_refused(client):
    client.cookies["sessionid"] = "\x00aaaaaaaaaaaaaaaa"
    assert_bad_request(client.get("/dasbor/"), "/dasbor/")
    fresh = Client()
    assert_bad_request(fresh.get("/inovasi/", HTTP_USER_AGENT="Mozilla\x00"), "/inovasi/")
    assert_bad_request(fresh.get("/api/v1/records/", HTTP_IF_NONE_MATCH='"a"\x00'), "/api/v1/records/")


def test_a_forwarded_address_that_is_not_an_address_is_not_stored(client, settings):
    from kipp.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 1

    class Request:
        META = {"HTTP_X_FORWARDED_FOR": "bukan-alamat; DROP", "REMOTE_ADDR": "10.0.0.1"}

    assert client_ip(Request) == "10.0.0.1"
    Request.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    assert client_ip(Request) == "203.0.113.9"


def test_djangos_own_400s_get_our_page_and_json_under_the_api(client, settings):
    """handler400: a Host header that is not allowed is Django's SuspiciousOperation."""
    settings.ALLOWED_HOSTS = ["kipp.example.org"]
    response = client.get("/inovasi/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Permintaan tidak dapat dibaca (400)" in response.content.decode()
    response = client.get("/api/v1/records/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


# Search and paging -------------------------------------------------------------------------------------------


def test_a_search_of_operators_gives_a_normal_page_and_a_normal_api_answer(client):
    for q in ("-" * 40, "- " * 40, "-----" * 8 + "sekolah", '"' + "- " * 40 + '"', "or " * 40, "!(" * 40):
        response = client.get("/inovasi/", {"q": q})
        assert response.status_code == 200, q
        response = client.get("/api/v1/records/", {"q": q[:200]})
        assert response.status_code in (200, 400), q
        assert response["Content-Type"].startswith("application/json")


def test_a_search_too_long_is_cut_with_a_message_on_the_page_and_refused_by_the_api(client):
    many = " ".join(f"kata{n}" for n in range(SEARCH_MAX_TERMS + 5))
    response = client.get("/inovasi/", {"q": many})
    assert response.status_code == 200
    assert "Kata kunci terlalu panjang" in response.content.decode()
    response = client.get("/inovasi/", {"q": "a" * 250})
    assert "Kata kunci terlalu panjang" in response.content.decode()
    assert "Kata kunci terlalu panjang" not in client.get("/inovasi/", {"q": "putus sekolah"}).content.decode()
    response = client.get("/api/v1/records/", {"q": many})
    assert response.status_code == 400
    assert response.json() == {"error": f"q has at most {SEARCH_MAX_TERMS} search terms"}


def test_search_terms_keep_the_meaning_and_drop_lone_operators():
    assert search_terms('putus sekolah -"anak  jalanan" or or -- e-ktp OR') == [
        "putus",
        "sekolah",
        '-"anak jalanan"',
        "or",
        "e-ktp",
    ]
    assert search_terms("-" * 40) == []
    assert search_terms("---a") == ["-a"]
    assert search_terms("or a or") == ["a"]
    assert len(search_terms(" ".join(["x"] * 50))) == SEARCH_MAX_TERMS


def test_no_bounded_search_makes_postgresql_fail():
    """Random strings of websearch operators, through search_terms() into PostgreSQL's parser: never an error,
    while the same strings unbounded do fail (the fuzz reaches the failure it guards against)."""
    alphabet = ["-", "-" * 12, "- - ", '"', " ", "a", "or", "OR", "(", ")", "!", "&", "|", ":*", "<->", "é", "-a", "b-"]
    rnd = random.Random(17)
    corpus = ["-" * 40, "- " * 40, "a " + "-" * 40] + [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 80))) for _ in range(1500)
    ]
    sql = "SELECT websearch_to_tsquery('simple', unaccent(%s))"
    raw_failures = 0
    with connection.cursor() as cursor:
        for text in corpus:
            cursor.execute(sql, [" ".join(search_terms(text))])
            try:
                with transaction.atomic():
                    cursor.execute(sql, [text])
            except Exception:  # noqa: BLE001 - the unbounded text is expected to fail, that is the point
                raw_failures += 1
    assert raw_failures >= 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"page={HUGE}", "page is at most 100000"),
        ("page=0", "page must be at least 1"),
        ("page=-5", "page must be at least 1"),
        ("page=abc", "page must be an integer"),
        ("page_size=0", "page_size must be between 1 and 100"),
        ("page_size=-1", "page_size must be between 1 and 100"),
        (f"page_size={HUGE}", "page_size must be between 1 and 100"),
    ],
)
def test_api_paging_out_of_range_is_a_400_that_says_why(client, query, message):
    for path in ("/api/v1/records/", "/api/v1/announcements/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.json() == {"error": message}


def test_html_list_pages_answer_a_huge_page_with_the_last_page(media_root):
    world = build_world()
    client = Client()
    assert client.get(f"/inovasi/?page={HUGE}").status_code == 200
    assert client.get("/inovasi/?page=-3").status_code == 200
    client.force_login(world.organiser)
    for url in (f"/proposal/semua/?page={HUGE}", f"/proposal/semua/?page=-1&competition={HUGE}&region={HUGE}"):
        assert client.get(url).status_code == 200, url


# DEBUG unset: no debug page ---------------------------------------------------------------------------------


def test_an_unset_debug_means_no_debug_page_but_development_defaults():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env["DJANGO_SETTINGS_MODULE"] = "kipp.settings"
    code = "from django.conf import settings as s; print(s.DEBUG, s.DEVELOPMENT, bool(s.SECRET_KEY))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True"], result.stderr
    env["DEBUG"] = "1"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
