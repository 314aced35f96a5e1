"""seed_demo: idempotent, deterministic, and every demo account can log in with the given password."""

import io
import os
import re
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from psycopg2 import sql

from kipp.defaults import DEFAULT_PROPOSAL_SECTIONS
from kipp.demo import DemoContext
from kipp.models import Agency, Category, Competition, Notification, ProposalSection, User
from tests.factories import kinds_of
from tests.faults.servers import database_url

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "sandi-demo-uji-2023"


def _seed(**options):
    out = io.StringIO()
    call_command("seed_demo", entries=5, judges=3, password=DEMO_PASSWORD, stdout=out, **options)
    return out.getvalue()


def _counts():
    return {model.__name__: model.objects.count() for model in (Agency, User, Competition, Category, ProposalSection)}


def test_second_run_creates_nothing_and_every_demo_account_logs_in(client):
    first = _seed()
    assert "Created:" in first
    counts = _counts()
    second = _seed()
    assert "Nothing to create" in second
    assert _counts() == counts

    emails = re.findall(r"^\s+(\S+@demo\.kipp\.id)\s", second, flags=re.MULTILINE)
    expected = {
        "organiser@demo.kipp.id",
        "organiser2@demo.kipp.id",
        "verifier-jeneponto@demo.kipp.id",
        "sms@demo.kipp.id",
        "dishub@demo.kipp.id",
        *(f"evaluator{n}@demo.kipp.id" for n in range(1, 10)),
        *(f"panelist{n}@demo.kipp.id" for n in range(1, 7)),
        "organiser-jatim@demo.kipp.id",
        "verifier-surabaya@demo.kipp.id",
        *(f"panelist-jatim{n}@demo.kipp.id" for n in range(1, 4)),
    }
    assert expected <= set(emails)
    for email in sorted(set(emails)):
        client.logout()
        response = client.post(reverse("kipp:login"), {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.url == reverse("kipp:dashboard")


def test_seeding_sends_no_email(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # would fail: no SMTP server here
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    _seed()
    assert mailoutbox == []
    assert list(Notification.objects.values_list("kind", "address")) == []  # and queues none for the worker


def test_demo_people_and_agencies_match_the_reference_instance():
    _seed()
    sms = User.objects.get(email="sms@demo.kipp.id")
    assert sms.full_name == "Dr. Suhaedir Bahtiar"
    assert sms.agency.name == "UPT SMPN 2 Rumbia"
    assert sms.agency.kind == "upt"
    assert sms.agency.parent.name == "Dinas Pendidikan Kabupaten Jeneponto"
    dishub = User.objects.get(email="dishub@demo.kipp.id")
    assert (dishub.full_name, dishub.agency.name) == ("Dr. Aspamuji, S.STP", "Dinas Perhubungan Kabupaten Jeneponto")
    verifier = User.objects.get(email="verifier-jeneponto@demo.kipp.id")
    assert kinds_of(verifier) == {("sulawesi-selatan", "verifier", "73.04")}
    sulsel_organisers = User.objects.filter(
        memberships__organisation__slug="sulawesi-selatan", memberships__kind="organiser"
    ).values_list("email", flat=True)
    assert sorted(sulsel_organisers) == ["organiser2@demo.kipp.id", "organiser@demo.kipp.id"]
    judges = User.objects.filter(
        memberships__organisation__slug="sulawesi-selatan",
        memberships__kind="judge",
        email__regex=r"^(evaluator|panelist)[0-9]+@demo\.kipp\.id$",
    )
    nasional = User.objects.get(email="organiser-nasional@demo.kipp.id")
    assert kinds_of(nasional) == {("kemenpanrb", "organiser", None)}
    assert judges.count() == 15
    assert judges.filter(region__name="Jeneponto").exists()  # something for the conflict-of-interest checks
    demo_accounts = User.objects.filter(email__endswith="@demo.kipp.id", memberships__isnull=False).distinct()
    assert all(user.is_active and user.email_verified_at for user in demo_accounts)
    # every kabupaten/kota of Sulawesi Selatan and the province have agencies
    assert Agency.objects.filter(region__province__code="73").values("region").distinct().count() == 25
    assert Agency.objects.filter(
        name="Biro Organisasi Setda Provinsi Sulawesi Selatan", region__kind="provinsi"
    ).exists()


def test_demo_competitions_closed_2023_and_open_2027_with_the_default_template():
    _seed()
    closed = Competition.objects.get(slug="kipp-sulsel-2023")
    open_call = Competition.objects.get(slug="kipp-sulsel-2027")
    now = timezone.now()
    assert not closed.is_open(now) and closed.closes_at < now
    assert open_call.is_open(now)
    assert (closed.code_prefix, open_call.code_prefix) == ("SULSEL-2023", "SULSEL-2027")
    assert closed.groups == ["umum", "replikasi", "khusus"]
    assert closed.minimum_age_months == 24 and closed.requires_regional_verification
    assert closed.opens_at.year == 2022 and closed.closes_at.year == 2023
    assert closed.categories.count() == 3
    for competition in (closed, open_call):
        sections = list(competition.sections.order_by("order"))
        assert [s.key for s in sections] == [d.key for d in DEFAULT_PROPOSAL_SECTIONS]
        assert sections[0].key == "ringkasan" and sections[0].word_limit == 200
        assert all(s.guidance for s in sections)


def test_demo_randomness_is_deterministic_for_a_seed():
    def draws(seed, name):
        rng = DemoContext(options={"seed": seed}, stdout=io.StringIO()).rng(name)
        return [rng.random() for _ in range(5)]

    assert draws(2023, "entries") == draws(2023, "entries")
    assert draws(2023, "entries") != draws(2024, "entries")
    assert draws(2023, "entries") != draws(2023, "judging")  # each seeder has its own stream


def test_home_page_lists_the_open_2027_call_but_not_the_closed_2023_one(client):
    _seed()
    html = client.get("/").content.decode()
    assert "KIPP Sulawesi Selatan 2027" in html
    assert "KIPP Sulawesi Selatan 2023" not in html.split("Kompetisi dibuka")[1].split("</section>")[0]


# As people run it (`make run`): migrate and seed_demo as separate processes, twice ---------------------------------


def _admin_connection(dbname="postgres"):
    s = connection.settings_dict
    conn = psycopg2.connect(dbname=dbname, user=s["USER"], host=s["HOST"], port=s["PORT"] or None)
    conn.autocommit = True
    return conn


def _manage(database, *args):
    """One `manage.py` process with the user's environment, the scratch database and nothing of pytest's world
    (no mail outbox, no settings overrides)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env["DATABASE_URL"] = database_url(database)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _fingerprint(database):
    """Every table's row count, largest id and a hash of its rows (audit log included)."""
    conn = _admin_connection(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            tables = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'"
            )
            with_id = {row[0] for row in cursor.fetchall()}
            result = {}
            for table in tables:
                query = sql.SQL(
                    "SELECT count(*), {max_id}, md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), ''))"
                    " FROM {table} x"
                )
                max_id = sql.SQL("max(x.id)" if table in with_id else "NULL")
                cursor.execute(query.format(max_id=max_id, table=sql.Identifier(table)))
                result[table] = cursor.fetchone()
            return result
    finally:
        conn.close()


def _kovablik(database):
    """kovablik-jatim-2023's entries, final sheets and announcements in the scratch database."""
    conn = _admin_connection(database)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM entries_entry e WHERE e.competition_id = c.id),"
                " (SELECT count(*) FROM judging_scoresheet s JOIN judging_assignment a ON a.id = s.assignment_id"
                "  JOIN judging_round r ON r.id = a.round_id WHERE r.competition_id = c.id AND s.state = 'final'),"
                " (SELECT count(*) FROM judging_announcement n JOIN judging_round r ON r.id = n.round_id"
                "  WHERE r.competition_id = c.id)"
                " FROM kipp_competition c WHERE c.slug = 'kovablik-jatim-2023'"
            )
            return cursor.fetchone()
    finally:
        conn.close()


@pytest.mark.slow
def test_migrate_and_seed_demo_twice_as_processes_changes_nothing_the_second_time():
    database = f"{connection.settings_dict['NAME']}_seed_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        runs = []
        for _ in range(2):
            migrate = _manage(database, "migrate", "--noinput")
            assert migrate.returncode == 0, migrate.stderr
            seed = _manage(database, "seed_demo", "--password", DEMO_PASSWORD)
            assert seed.returncode == 0, seed.stderr
            runs.append((seed.stdout, _fingerprint(database)))
        (first, before), (second, after) = runs
        assert "Created:" in first
        assert "Nothing to create: the demo data is already there." in second
        assert "Created:" not in second
        assert before["kipp_auditevent"][0] > 0 and before["judging_innovationrecord"][0] > 0
        assert "organiser-jatim@demo.kipp.id" in second and _kovablik(database) == (8, 21, 0)
        assert after["kipp_auditevent"] == before["kipp_auditevent"]
        assert after == before
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        admin.close()
