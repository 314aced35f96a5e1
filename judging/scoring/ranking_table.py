"""The rows of the ranking table (templates/judging/scoring/_ranking_table.html) written in Python.

The dashboard renders them on the first request after every change, and during live scoring every request after a
submit is one: through Django's template engine the 250 rows of a page took longer than computing the ranking of
2,000 entries (docs/benchmarks.md). The markup is the one the template's loop wrote (the same tags, classes,
attributes and words, each value escaped and localised as {{ }} does), the translated words looked up once per
table. The tie-break step's words are those of _tie_step.html (which the cut line's note and the public method page
still include).
"""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from judging.scoring.quotas import category_names, rule_text

_ENTRY_MARK = 987654321  # an entry id no round has, in the sheets page's URL reversed once per table


def _text(value):
    """A value as {{ value }} writes it: localised, then escaped (a safe string stays as it is)."""
    return conditional_escape(localize(value))


def tie_step_words(tie):
    """The words of one tie-break step (queries.mark_ties), as templates/judging/scoring/_tie_step.html says them."""
    step, above = tie.get("step"), tie.get("above")
    title = _text(tie.get("criterion_title"))
    if above is None and step == "total":
        return _("total lebih tinggi sebelum pembulatan")
    if above is None and step == "criteria":
        return _("rata-rata lebih tinggi pada kriteria “%(c)s”") % {"c": title}
    if above is None and step == "spread":
        return _("sebaran nilai juri lebih kecil")
    if step == "total":
        return _("total lebih tinggi sebelum pembulatan (%(a)s lawan %(b)s)") % {
            "a": floatformat(above, 4),
            "b": floatformat(tie.get("below"), 4),
        }
    if step == "criteria":
        return _("rata-rata lebih tinggi pada kriteria “%(c)s” (%(a)s lawan %(b)s)") % {
            "c": title,
            "a": floatformat(above, 2),
            "b": floatformat(tie.get("below"), 2),
        }
    if step == "spread":
        return _("sebaran nilai juri lebih kecil (%(a)s lawan %(b)s)") % {
            "a": floatformat(above, 2),
            "b": floatformat(tie.get("below"), 2),
        }
    if step == "submitted_at":
        return _("pengajuan lebih awal")
    return _("kode proposal (urutan abjad)")


def _words(round_):
    """The table's translated words for one round, looked up once."""
    k = _text(round_.judges_per_entry)
    return {
        "tie_note": _("Seri dengan peringkat %(n)s; di bawahnya karena penentu seri:"),
        "short_title": _("Dinilai oleh kurang dari %(k)s juri (lembar final)") % {"k": k},
        "short_badge": _("&lt; %(k)s juri") % {"k": k},
        "outlier": _("Beda lebih dari 20 poin dari rata-rata panel"),
        "outlier_label": _("Pencilan"),
        "selected": '<span class="badge text-bg-success">' + _("Terpilih") + "</span>",
        "reserve": '<span class="badge text-bg-info">' + _("Cadangan") + "</span>",
        "not_selected": '<span class="badge text-bg-light">' + _("Tidak terpilih") + "</span>",
        "cut": '<tr class="cut-line" aria-hidden="false"><td colspan="99"><span class="small fw-semibold">'
        + _("Batas Top %(n)s") % {"n": _text(round_.top_n)}
        + "</span></td></tr>",
        "empty": '<tr><td colspan="99" class="text-body-secondary">' + _("Belum ada proposal.") + "</td></tr>",
    }


def _row(row, round_, words):
    rank = _text(row["rank"])
    tie = row.get("tie")
    code = _text(row["entry_code"])
    near = " near-cut" if row.get("near_cut") else ""
    out = [
        f'\n    <tr class="outcome-{_text(row["outcome"])}{near}" data-rank="{rank}" data-entry="{code}">\n',
        f'      <td class="text-end">{rank}',
        ' <span class="tie-mark" aria-hidden="true">=</span>' if tie else "",
        f'</td>\n      <td class="ranking-proposal"><span class="fw-semibold">{code}</span> {_text(row["title"])}'
        f'<div class="small text-body-secondary">{_text(row["agency"])} · {_text(row["region"])}</div>',
    ]
    if tie:
        note = words["tie_note"] % {"n": _text(row["rank"] - 1)}
        out.append(f'<div class="small tie-note">{note} {tie_step_words(tie)}</div>')
    total = row["total_text"] if row["total"] is not None else "–"
    out.append(f'</td>\n      <td class="text-end fw-semibold">{total}</td>\n      <td class="text-end">')
    judges = _text(row["judges"])
    label = ngettext("Lembar nilai %(code)s: %(n)s juri", "Lembar nilai %(code)s: %(n)s juri", row["judges"]) % {
        "code": code,
        "n": judges,
    }
    # padded: a one-digit link is a target of at least 24 x 24 px (WCAG 2.2, 2.5.8)
    out.append(
        f'<a class="d-inline-block px-2 py-1" href="{words["sheets_url"] % row["entry_id"]}" aria-label="{label}">'
        f"{judges}</a>"
    )
    if row["judges"] < round_.judges_per_entry:
        out.append(
            f' <span class="badge text-bg-warning short-k-flag" title="{words["short_title"]}">'
            f"{words['short_badge']}</span>"
        )
    out.append(f'</td>\n      <td class="text-end">{_text(row["spread_text"])}')
    if row.get("outlier"):
        names = row.get("outlier_names")
        named = (": " + ", ".join(str(conditional_escape(name)) for name in names)) if names else ""
        out.append(
            f' <span class="outlier-flag" title="{words["outlier"]}{named}" aria-label="{words["outlier_label"]}">'
            "⚑</span>"
        )
    out.append("</td>\n      ")
    out.extend(f'<td class="text-end small">{_text(mean)}</td>' for mean in row["criteria_texts"])
    outcome = row["outcome"]
    out.append("\n      <td>" + words[outcome if outcome in ("selected", "reserve") else "not_selected"])
    if row.get("rule"):
        rule = _text(row["rule"])
        out.append(
            f' <span class="badge text-bg-warning rule-mark" data-rule="{rule}">'
            f"{_text(rule_text(row['rule'], words['categories']))}</span>"
        )
    out.append("</td>\n    </tr>\n    ")
    if row["rank"] == round_.top_n:
        out.append(words["cut"])
    out.append("\n  ")
    return "".join(out)


def ranking_rows_html(rows, round_):
    """The <tbody> rows of the ranking table for `rows` (dashboard_cache.table_rows) of `round_`, as the template's
    loop wrote them."""
    words = _words(round_)
    # the entry's sheets page: reversed once, the entry's id put in per row
    sheets_url = reverse("judging:entry_sheets", args=[round_.competition.slug, round_.slug, _ENTRY_MARK])
    words["sheets_url"] = _text(sheets_url).replace("%", "%%").replace(str(_ENTRY_MARK), "%d")
    words["categories"] = category_names(round_.competition_id) if any(row.get("rule") for row in rows) else {}
    if not rows:
        return mark_safe(words["empty"] + "\n  ")  # noqa: S308 - our own markup, values escaped
    return mark_safe("".join(_row(row, round_, words) for row in rows))  # noqa: S308 - as above
