"""`make bench` runs `python -m bench` (bench/cli.py): the benchmark lives beside the product, never inside it."""

import ast
import os
import pathlib
import subprocess
import sys

import pytest

from bench.seed import ROUND_SLUG, ensure_published
from tests.judging.scoring.helpers import add_entry, add_judge, add_sheet, make_round

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _imported_modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT).as_posix(), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT).as_posix(), alias.name


def test_the_product_never_imports_bench():
    imports = [(f, m) for package in ("kipp", "entries", "judging") for f, m in _imported_modules(package)]
    assert [(f, m) for f, m in imports if m == "bench" or m.startswith("bench.")] == []


def _run_bench(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_m_bench_lists_the_options_of_make_bench():
    done = _run_bench("--help")
    assert done.returncode == 0, done.stderr
    for option in ("--datasets", "--only", "--reseed", "--seed-only", "--output", "--wrk-seconds"):
        assert option in done.stdout


def test_python_m_bench_refuses_to_run_against_the_benchmark_database_itself():
    # a server nobody listens on: the refusal comes before any connection
    url = "postgres://nobody@127.0.0.1:1/kipp_bench_itself"
    done = _run_bench("--seed-only", DATABASE_URL=url, KIPP_BENCH_DB_NAME="kipp_bench_itself")
    assert done.returncode == 1
    assert "with the product's settings" in done.stderr


@pytest.mark.django_db
def test_a_benchmark_round_with_draft_sheets_is_closed_and_published():
    """The seeder leaves one sheet in fifty a draft: closing its round then takes a reason, and gets one."""
    round_ = make_round([("kebaruan", 1, 1, 10)], slug=ROUND_SLUG, top_n=1, reserve_n=0, k=1)
    judge = add_judge(round_)
    add_sheet(round_, add_entry(round_, "BENCH-1"), judge, {"kebaruan": 8})
    add_sheet(round_, add_entry(round_, "BENCH-2", minutes=1), judge, {"kebaruan": 5}, state="draft")

    announcement = ensure_published(round_.competition)

    round_.refresh_from_db()
    assert round_.state == "published"
    assert announcement.state == "published"
    assert [row.entry_code for row in announcement.rows.order_by("rank")] == ["BENCH-1", "BENCH-2"]
