"""What forwarding shows on lower layers' pages (kipp.hooks) and its demo seeder."""


def entry_sections(request):
    return [{"template": "judging/publication/forwarding/_entry_provenance.html", "context": {}, "order": 40}]


def register():
    """Called once from JudgingConfig.ready()."""

    from judging.publication.forwarding.demo import seed_forwarding
    from kipp import hooks

    hooks.register("entry_sections", entry_sections)
    hooks.register_seeder("forwarding", seed_forwarding, 350)
