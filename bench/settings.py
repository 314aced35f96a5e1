"""Settings of the benchmark's own processes: the product's settings, plus the bare comparison views.

Used with DATABASE_URL pointing at the benchmark database (kipp_bench); refuses the demo database.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from kipp.settings import *  # noqa: F403
from kipp.settings import DATABASES

BENCH_DATABASE_NAME = os.environ.get("KIPP_BENCH_DB_NAME", "kipp_bench")

if DATABASES["default"]["NAME"] != BENCH_DATABASE_NAME:
    raise ImproperlyConfigured(
        f"bench.settings runs only against the benchmark database {BENCH_DATABASE_NAME!r}, "
        f"not {DATABASES['default']['NAME']!r}: start it through `python -m bench`."
    )

ROOT_URLCONF = "bench.urls"
# Optional: the benchmark can turn the JIT on for its own comparison (kipp.settings switches it off).
if os.environ.get("KIPP_BENCH_JIT") == "on":
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=on"
