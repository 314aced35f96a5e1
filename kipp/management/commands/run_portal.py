"""`make run`: the development web server and a task-queue worker, started together and stopped together.

Both are child processes of this command; Ctrl-C reaches both (they share the terminal's process group), and
SIGTERM to this command stops both. When the web server ends, the worker is stopped and the command ends. When the
worker ends by itself (procrastinate 3.10's worker stops when it loses its database connection, e.g. the embedded
server was stopped or restarted), it is started again after a pause that doubles on each quick failure (1 s up to
30 s, back to 1 s once a worker has run for a minute); each restart is said on stderr with the worker's exit code.

With the embedded database (DATABASE_URL unset), this command also looks every couple of seconds whether the
server still runs, and starts it again when it is gone (`make db-stop`, a crash): the worker needs it even when
no page is asked for. The web server does the same on its next request (kipp.embedded_backend); whichever comes
first starts it, under embedded_postgres's start lock, and logs the one line.
"""

import contextlib
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from kipp import embedded_db

FIRST_PAUSE = 1.0  # seconds before the first restart of a worker that ended
LONGEST_PAUSE = 30.0
STEADY = 60.0  # a worker that ran this long before ending is restarted after FIRST_PAUSE again


class Command(BaseCommand):
    help = "Serve the portal (runserver) and run a procrastinate worker beside it, until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        previous = signal.signal(signal.SIGTERM, _interrupt)
        web = subprocess.Popen([*manage, "runserver", addrport])
        worker = Worker([*manage, "procrastinate", "worker"], self.stderr)
        self.stdout.write(f"Portal on http://{addrport}/ with a task worker beside it; Ctrl-C stops both.")
        watch_database = embedded_db.is_in_use()
        next_look = time.monotonic() + embedded_db.REVIVE_INTERVAL
        try:
            while web.poll() is None:
                worker.supervise()
                if watch_database and time.monotonic() >= next_look:
                    _revive_if_down()
                    next_look = time.monotonic() + embedded_db.REVIVE_INTERVAL
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            _stop([p for p in (worker.process, web) if p is not None])
        if web.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, None):
            raise SystemExit(1)


class Worker:
    """The task worker child: started at once, and again (after a growing pause) whenever it ends."""

    def __init__(self, command, stderr):
        self.command = command
        self.stderr = stderr
        self.pause = FIRST_PAUSE
        self.restart_at = None
        self.restarts = 0
        self.process = None
        self._start()

    def _start(self):
        self.process = subprocess.Popen(self.command)
        self.started = time.monotonic()
        self.restart_at = None

    def supervise(self):
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                self._start()
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self.started >= STEADY:
            self.pause = FIRST_PAUSE
        self.stderr.write(f"The task worker ended (exit code {code}); starting it again in {self.pause:.0f} s.")
        self.restart_at = now + self.pause
        self.pause = min(self.pause * 2, LONGEST_PAUSE)


def _revive_if_down():
    if embedded_db.state(settings.BASE_DIR) == "down":
        embedded_db.revive(settings.BASE_DIR, "no server process, noticed by run_portal")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(children):
    """SIGTERM to each child and to its own children (runserver's autoreloader runs the server in a child of its
    own; a shell that starts this command in the background makes its children ignore SIGINT, so SIGINT alone may
    reach nobody), then wait; whatever is still running after 10 s is killed."""
    import psutil

    family = []
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(psutil.Error):
                family += psutil.Process(child.pid).children(recursive=True)
            child.send_signal(signal.SIGTERM)
    for descendant in family:
        with contextlib.suppress(psutil.Error):
            descendant.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    _gone, alive = psutil.wait_procs(family, timeout=max(0.1, deadline - time.monotonic()))
    for descendant in alive:
        with contextlib.suppress(psutil.Error):
            descendant.kill()
