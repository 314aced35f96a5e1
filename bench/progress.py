"""Progress lines with an estimate of the time left, for long steps (seeding M and L, the benchmark itself)."""

import sys
import time


def fmt_seconds(seconds):
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    return f"{seconds // 60}m{seconds % 60:02d}s"


class Progress:
    """Progress("scores L", total=50_000).advance(n) prints `label  40%  20,000/50,000  12s elapsed, ~18s left`.

    The estimate is the elapsed time per unit so far times the units left. Lines go to stderr (the table to stdout).
    """

    def __init__(self, label, total, stream=None, min_interval=0.5):
        self.label = label
        self.total = max(1, int(total))
        self.done = 0
        self.started = time.monotonic()
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self._last = 0.0
        self._interactive = hasattr(self.stream, "isatty") and self.stream.isatty()

    def eta(self):
        elapsed = time.monotonic() - self.started
        if not self.done:
            return None
        return elapsed / self.done * (self.total - self.done)

    def line(self):
        elapsed = time.monotonic() - self.started
        eta = self.eta()
        left = "estimating" if eta is None else f"~{fmt_seconds(eta)} left"
        pct = 100 * self.done / self.total
        return f"  {self.label:<28} {pct:5.1f}%  {self.done:,}/{self.total:,}  {fmt_seconds(elapsed)} elapsed, {left}"

    def advance(self, n=1):
        self.done = min(self.total, self.done + n)
        now = time.monotonic()
        if self.done >= self.total or now - self._last >= self.min_interval:
            self._last = now
            end = "\r" if self._interactive and self.done < self.total else "\n"
            self.stream.write(self.line() + end)
            self.stream.flush()

    def finish(self):
        if self.done < self.total:
            self.done = self.total
            self.stream.write(self.line() + "\n")
            self.stream.flush()
        return time.monotonic() - self.started


def say(message, stream=None):
    stream = stream or sys.stderr
    stream.write(message + "\n")
    stream.flush()
