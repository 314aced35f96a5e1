"""Script payloads in every free-text field of an entry (profile, answers, team, indicators, notes, file name,
agency and category names, judge's comment, announcement text) come back escaped on every page that shows them,
for every role that may see them. The browser half (no dialog fires) is tests/e2e/test_script_payloads.py."""

import pytest

from tests.security.test_headers import page_kinds
from tests.world import PAYLOAD, build_world

pytestmark = pytest.mark.django_db

RAW = ["<script>alert('xss')", "<img src=x onerror", "<script>alert(&#x27;xss"]
ESCAPED = "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;"


def test_payloads_are_escaped_on_every_page_that_shows_them(client, media_root):
    w = build_world(text=PAYLOAD)
    shown_on = []
    problems = []
    for user, url in page_kinds(w):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        raw = [r for r in RAW if r in html]
        if raw:
            problems.append(f"{url} as {getattr(user, 'email', 'anonymous')}: raw {raw}")
        if ESCAPED in html or "&lt;script&gt;" in html:
            shown_on.append(url)
    assert not problems, "\n".join(problems)
    # the payload was really on the pages (the test would prove nothing otherwise)
    assert len(shown_on) >= 8, shown_on


def test_csv_export_neutralises_formula_payloads(client, media_root):
    w = build_world(text='=HYPERLINK("http://evil.example/","klik")')
    client.force_login(w.organiser)
    response = client.get("/proposal/semua/?export=csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and "\n=HYPERLINK" not in text and '"=HYPERLINK' not in text
