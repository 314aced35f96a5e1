"""Demo data for `manage.py seed_demo`: the context shared by every layer's seeder, and kipp's own seeder."""

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    """Passed to every seeder. Seeders count what they create in `created`, so a second run can show nothing new.

    - options: {"entries": int, "judges": int, "seed": int, "password": str}
    - rng(name): a random.Random seeded from (seed, name), so each seeder is deterministic on its own
    - accounts: (email, role label, description) rows printed at the end
    """

    options: dict
    stdout: object
    created: Counter = field(default_factory=Counter)
    accounts: list = field(default_factory=list)

    @property
    def password(self):
        return self.options["password"]

    def rng(self, name):
        digest = hashlib.sha256(f"{self.options['seed']}:{name}".encode()).hexdigest()
        return random.Random(int(digest[:16], 16))  # noqa: S311 - demo data, not security

    def log(self, message):
        self.stdout.write(message)

    def count(self, label, created=True, n=1):
        if created:
            self.created[label] += n


def seed_core(ctx):
    """Regions come from a migration; this creates agencies, competitions and the demo accounts."""
    raise NotImplementedError("filled in by the foundation work")
