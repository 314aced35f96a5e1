"""`make run`: the development web server and a task-queue worker, started together and stopped together.

Both are child processes of this command; Ctrl-C reaches both (they share the terminal's process group), and when
either one ends the other is stopped, so the portal never runs without its worker unnoticed.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the portal (runserver) and run a procrastinate worker beside it, until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        children = [
            subprocess.Popen([*manage, "procrastinate", "worker"]),
            subprocess.Popen([*manage, "runserver", addrport]),
        ]
        self.stdout.write(f"Portal on http://{addrport}/ with a task worker beside it; Ctrl-C stops both.")
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(children)
        codes = [child.returncode for child in children]
        if any(code not in (0, -signal.SIGINT, -signal.SIGTERM, None) for code in codes):
            raise SystemExit(1)


def _stop(children):
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
