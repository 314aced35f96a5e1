"""Cache of the rendered result lists of a public announcement (Django's cache framework, settings.CACHES).

Only the parts that are the same for every visitor are cached (the selected and reserve tables, the counts and
charts, the method note); the page around them (nav, objection form, the visitor's own objections) is rendered on
every request. The key holds everything the fragment depends on: announcement id, version, state, publication
time, list order, rank/total options and language. A correction is a new announcement (new id and version), a
withdrawal changes the state, so neither is ever served from an old entry. The caller checks visibility
(publication_queries.visible_announcements) BEFORE calling `results_fragments`: nothing is read from the cache
for an announcement that is not public."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from judging.publication.queries import bar_chart, counts, method_note, public_rows

TIMEOUT = 60 * 60  # published results change rarely; the key changes when they do


def results_key(announcement, language=None):
    language = language or translation.get_language() or ""
    published = announcement.published_at.isoformat() if announcement.published_at else "-"
    return ":".join(
        [
            "judging:public-results",
            str(announcement.pk),
            f"v{announcement.version}",
            str(announcement.state),
            published,
            str(announcement.list_order),
            "r1" if announcement.show_ranks else "r0",
            "t1" if announcement.show_totals else "t0",
            language,
        ]
    ).replace(" ", "_")


def _render(announcement):
    selected, reserve = public_rows(announcement)
    by_region = counts(selected, "region")
    by_category = counts(selected, "category")
    context = {
        "announcement": announcement,
        "selected": selected,
        "reserve": reserve,
        "by_region": by_region,
        "by_category": by_category,
        "region_chart": bar_chart(by_region),
        "category_chart": bar_chart(by_category),
        "method": method_note(announcement),
    }
    return {
        "lists": render_to_string("judging/publication/public/_results_lists.html", context),
        "summary": render_to_string("judging/publication/public/_results_summary.html", context),
        # (entry_id, entry_code, title) of the listed rows: the choices of the objection form
        "listed": [(row.entry_id, row.entry_code, row.title) for row in selected + reserve],
    }


def results_fragments(announcement):
    """{"lists": html, "summary": html, "listed": [(entry_id, code, title)]} of a VISIBLE announcement, from the
    cache or rendered and stored."""
    key = results_key(announcement)
    fragments = cache.get(key)
    if fragments is None:
        fragments = _render(announcement)
        cache.set(key, fragments, TIMEOUT)
    return fragments


def forget(announcement):
    """Drop every cached language of the announcement's current key (used by tests and after in-place changes)."""
    from django.conf import settings

    cache.delete_many([results_key(announcement, code) for code, _name in settings.LANGUAGES])
