"""Demo data of publication (seed_demo, order 300): filled in below."""


def seed_publication(ctx):
    return None
