"""gunicorn's settings for kipp. `make serve` and the benchmark (bench/measure.py, gunicorn()) both start gunicorn
with this file, so the benchmark measures what production runs. Flags on the command line (the address, log
options) override it; the environment changes the sizes without editing it.

Sync workers, about one per CPU. The work of a request is almost all CPU (Python, and PostgreSQL on the same
machine); its waits (the commit) are short. Measured with `make bench` (64 judges submitting at once, 2 CPUs):
2 sync workers p95 ~230-290 ms; gthread with 2 workers x 2 threads ~280-350 ms, x 4 threads ~310-440 ms (the
threads contend for the GIL and interleave the requests, so every request finishes later). Threads pay off when
requests wait longer (a slow remote database): GUNICORN_THREADS > 1 switches gunicorn to its gthread worker. Each
thread keeps its own database connection (CONN_MAX_AGE): size PostgreSQL's max_connections for
servers x workers x threads.

Behind a reverse proxy (README, Deploying) slow clients are buffered by the proxy, as sync workers need.
"""

import gc
import os

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request still running after `timeout` seconds is killed with its worker (no answer at all). The database's
# web limits (kipp/settings.py DB_STATEMENT_TIMEOUT, DB_LOCK_TIMEOUT) end a slow statement well before that, so
# the request is answered with the "try again" page instead; post_worker_init refuses a worker otherwise.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))


def post_worker_init(worker):
    from django.conf import settings

    limits = settings.DB_SESSION_LIMITS
    if settings.DB_LIMITS != "web":
        raise RuntimeError("kipp's web process runs without the web database limits (KIPP_DB_LIMITS must be 'web')")
    for name in ("statement_timeout", "lock_timeout"):
        if not 0 < limits[name] < worker.cfg.timeout:
            raise RuntimeError(
                f"the database's {name} ({limits[name]:g} s) must be above 0 and below gunicorn's timeout "
                f"({worker.cfg.timeout} s): set DB_STATEMENT_TIMEOUT / DB_LOCK_TIMEOUT or GUNICORN_TIMEOUT"
            )
    # The application's own objects (modules, URL patterns, translations: about 156,000 loaded so far) live as long
    # as the worker: collected once, then moved out of the cycle collector's reach (gc.freeze), so that a full
    # collection in the middle of a request no longer walks them all again (40 ms measured, on the request that
    # happened to trigger it; 0.002 ms after the freeze). Objects made by requests are collected as before.
    gc.collect()
    gc.freeze()
