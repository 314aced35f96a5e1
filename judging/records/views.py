"""Pages of innovation records: the public catalogue and record pages, photos, statistics; the innovator's update
form and public-display choices; replication requests and answers; the organiser's catalogue page. Thin: reads
come from records.queries (public_records: only what is published), writes from records.services.

The older entry-numbered addresses under /penilaian/inovasi/ (judging:records, judging:record, judging:record_photo,
judging:record_settings) are served here too: the list by the catalogue (final outcomes), a record by a redirect
to its page, a photo by the one photo view."""

from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entries.models import Entry
from judging.models import RecordPhoto, ReplicationRequest
from judging.publication.queries import visible_announcements
from judging.records import queries, services
from judging.records.filters import catalogue_filters
from judging.records.forms import (
    IndicatorValueFormSet,
    RecordUpdateForm,
    ReplicationAnswerForm,
    ReplicationImplementedForm,
    ReplicationRequestForm,
)
from judging.records.permissions import (
    can_answer_replication,
    can_edit_profile,
    can_manage_records,
    can_mark_implemented,
    can_request_replication,
    can_update_record,
)
from judging.records.statistics import statistics_context
from judging.scoring.services import JudgingError
from kipp import exports
from kipp.errors import add_message
from kipp.files import private_file_response
from kipp.permissions import is_pending_member, organised_organisation_ids, organised_q
from kipp.services_accounts import pending_membership_message


def _record_or_404(key):
    record = queries.public_record_or_none(key)
    if record is None:
        raise Http404
    return record


def csv_response(name, columns, rows):
    return exports.csv_response(f"{name}.csv", chain([columns], rows))


@require_GET
def catalogue(request):
    return _catalogue_page(request)


def final_catalogue(request):
    """The older list of selected innovations (/penilaian/inovasi/): the catalogue of final outcomes, unless the
    query string asks for another one."""
    return _catalogue_page(request, preset={"outcome": "final"})


def _catalogue_page(request, preset=None):
    params = request.GET.copy()
    for name, value in (preset or {}).items():
        params.setdefault(name, value)
    filters = catalogue_filters(params)
    records = queries.catalogue(filters)
    if request.GET.get("format") == "csv":
        return csv_response("katalog-inovasi", queries.RECORD_CSV_COLUMNS, (queries.record_csv_row(r) for r in records))
    if queries.search_is_cut((request.GET.get("q") or "").strip()):
        messages.warning(request, _search_cut_message())
    page = Paginator(records, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: ("1" if v is True else "0" if v is False else v) for k, v in filters.items()})
    return render(
        request,
        "judging/records/catalogue.html",
        {
            "page": page,
            "records": list(page.object_list),
            "filters": filters,
            "query": query,
            "choices": queries.filter_choices(),
            "can_manage": can_manage_records(request.user),
        },
    )


def _search_cut_message():
    return _(
        "Kata kunci terlalu panjang: hanya %(chars)s karakter dan %(terms)s kata pertama yang dicari. "
        "Persingkat kata kunci Anda untuk hasil yang lebih tepat."
    ) % {"chars": queries.SEARCH_MAX_LENGTH, "terms": queries.SEARCH_MAX_TERMS}


@require_GET
def record_detail(request, key):
    record = _record_or_404(key)
    if key != record.slug:
        return redirect("records:detail", record.slug, permanent=True)
    profile = queries.public_profile(record.entry)
    entry_photos, later_photos = queries.record_photos(record, profile["show_photos"])
    user = request.user
    replications = queries.record_replications(record, user)
    context = {
        "record": record,
        "entry": record.entry,
        "history": queries.record_history(record),
        "series": queries.indicator_series(record),
        "entry_photos": entry_photos,
        "later_photos": later_photos,
        "profile": profile,
        "team": list(record.entry.team_members.all()),
        "replicated_by": queries.replicated_by(record),
        "replications": replications,
        "updates": list(record.updates.select_related("author")[:10]),
        "can_update": can_update_record(user, record),
        "can_request": can_request_replication(user, record),
        "answerable": [r for r in replications if r.state == "requested" and can_answer_replication(user, r)],
        "implementable": [r for r in replications if r.state == "agreed" and can_mark_implemented(user, r)],
    }
    if context["can_request"]:
        context["request_form"] = ReplicationRequestForm(
            initial={"contact_name": user.full_name, "contact_email": user.email, "contact_phone": user.phone}
        )
    context["answer_form"] = ReplicationAnswerForm()
    context["implemented_form"] = ReplicationImplementedForm()
    return render(request, "judging/records/detail.html", context)


def _final_record_or_404(entry_pk):
    record = queries.final_record_of_entry(entry_pk)
    if record is None:
        raise Http404
    return record


def entry_record(request, pk):
    """The older address of an entry's public record (/penilaian/inovasi/<entry>/): sent on to the record's page
    while the entry stands selected in a visible final announcement."""
    return redirect("records:detail", _final_record_or_404(pk).slug)


@require_GET
def record_photo(request, key, source, pk, size):
    """A photo of a public record: an entry's photo (only kind photo, only when the profile shows photos) or a
    photo added later. Never a decree or a document."""
    return _photo_response(_record_or_404(key), source, pk, thumb=size == "kecil")


def entry_record_photo(request, pk, attachment_pk):
    """The older address of a photo of an entry's public record: its small image, as the record page shows it."""
    return _photo_response(_final_record_or_404(pk), "proposal", attachment_pk, thumb=True)


def _photo_response(record, source, pk, *, thumb):
    if source == "proposal":
        entry_photos, _later = queries.record_photos(record, queries.public_profile(record.entry)["show_photos"])
        photo = next((p for p in entry_photos if p.pk == pk), None)
        if photo is None:
            raise Http404
    elif source == "pembaruan":
        photo = get_object_or_404(RecordPhoto, pk=pk, record=record)
    else:
        raise Http404
    small = thumb and bool(photo.thumbnail)
    return private_file_response(
        photo.thumbnail if small else photo.file,
        content_type="image/jpeg" if small else photo.content_type,
        filename=photo.original_name,
        inline=True,
        public=True,
    )


@require_POST
@login_required
def profile_settings(request, pk):
    """The innovators choose what their entry's public record shows (from the entry page)."""
    entry = get_object_or_404(Entry, pk=pk)
    if not can_edit_profile(request.user, entry):
        raise Http404
    services.save_profile(
        entry=entry,
        user=request.user,
        show_contacts=request.POST.get("show_contacts") == "on",
        show_photos=request.POST.get("show_photos") == "on",
    )
    messages.success(request, _("Pilihan tampilan catatan inovasi publik disimpan."))
    return redirect("entries:detail", entry.pk)


@login_required
def record_update(request, key):
    record = _record_or_404(key)
    if not can_update_record(request.user, record):
        if is_pending_member(request.user) and request.user.agency_id == record.agency_id:
            raise PermissionDenied(pending_membership_message(request.user))
        raise Http404
    indicators = services.indicator_names(record)
    form_kwargs = {"names": list(indicators), "kinds": {name: kind for name, (_u, _d, kind) in indicators.items()}}
    if request.method == "POST":
        form = RecordUpdateForm(request.POST, request.FILES)
        formset = IndicatorValueFormSet(request.POST, prefix="values", form_kwargs=form_kwargs)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            values = [
                (row["name"], row["value"], row["measured_on"]) for row in formset.cleaned_data if row and row["name"]
            ]
            try:
                services.update_record(
                    record=record,
                    actor=request.user,
                    is_running=data["is_running"],
                    stopped_on=data.get("stopped_on"),
                    stop_reason=data.get("stop_reason", ""),
                    note=data.get("note", ""),
                    values=values,
                    photos=[data["photo"]] if data.get("photo") else [],
                    request=request,
                )
            except ValidationError as error:  # a refusal (JudgingError) or an upload entries.uploads refused
                add_message(request, error)
            else:
                messages.success(request, _("Catatan inovasi diperbarui."))
                return redirect("records:detail", record.slug)
    else:
        form = RecordUpdateForm(
            initial={
                "is_running": "1" if record.is_running else "0",
                "stopped_on": record.stopped_on,
                "stop_reason": record.stop_reason,
            }
        )
        formset = IndicatorValueFormSet(prefix="values", form_kwargs=form_kwargs)
    return render(request, "judging/records/update.html", {"record": record, "form": form, "formset": formset})


@login_required
@require_POST
def replication_request(request, key):
    record = _record_or_404(key)
    if not can_request_replication(request.user, record):
        raise Http404
    form = ReplicationRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian permintaan replikasi: nama, email dan rencana wajib diisi."))
        return redirect("records:detail", record.slug)
    try:
        services.request_replication(record=record, actor=request.user, request=request, **form.cleaned_data)
    except JudgingError as error:
        add_message(request, error)
    else:
        messages.success(request, _("Permintaan replikasi terkirim. Instansi pemilik diberi tahu lewat email."))
    return redirect("records:detail", record.slug)


def _replication_or_404(request, pk):
    replication = get_object_or_404(ReplicationRequest.objects.select_related("record"), pk=pk)
    if queries.public_records().filter(pk=replication.record_id).exists() is False:
        raise Http404
    return replication


@login_required
@require_POST
def replication_answer(request, pk):
    replication = _replication_or_404(request, pk)
    if not can_answer_replication(request.user, replication):
        raise Http404
    form = ReplicationAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_replication(
                replication=replication,
                actor=request.user,
                agree=form.cleaned_data["decision"] == "agree",
                note=form.cleaned_data["note"],
                request=request,
            )
        except JudgingError as error:
            add_message(request, error)
        else:
            messages.success(request, _("Jawaban tersimpan dan dikirim ke instansi peminta."))
    else:
        messages.error(request, _("Pilih setujui atau tolak."))
    return redirect("records:detail", replication.record.slug)


@login_required
@require_POST
def replication_implemented(request, pk):
    replication = _replication_or_404(request, pk)
    if not can_mark_implemented(request.user, replication):
        raise Http404
    form = ReplicationImplementedForm(request.POST)
    form.is_valid()
    try:
        services.mark_replication_implemented(
            replication=replication, actor=request.user, note=form.cleaned_data.get("note", ""), request=request
        )
    except JudgingError as error:
        add_message(request, error)
    else:
        messages.success(request, _("Replikasi dicatat sudah diterapkan."))
    return redirect("records:detail", replication.record.slug)


@require_GET
def statistics(request):
    context = statistics_context()
    if request.GET.get("format") == "csv":
        stats = context["stats"]
        rows = [[r["region"], *r["counts"], r["total"]] for r in stats["region_rows"]]
        return csv_response("statistik-inovasi", ["region", *stats["years"], "total"], rows)
    return render(request, "judging/records/statistics.html", context)


@login_required
def manage(request):
    """Organisers: the visible announcements with their records, and a button to build what is missing (records are
    also built by `manage.py build_records`, e.g. from cron after an embargo passes)."""
    if not can_manage_records(request.user):
        raise Http404
    if request.method == "POST":
        records = services.build_all_records(
            actor=request.user, organisation_ids=organised_organisation_ids(request.user)
        )
        messages.success(request, _("Katalog diperbarui: %(n)s catatan inovasi.") % {"n": len(records)})
        return redirect("records:manage")
    announcements = list(
        visible_announcements()
        .filter(organised_q(request.user, "round__competition__organisation_id"))  # their organisations' only
        .select_related("round__competition")
        .order_by("-published_at", "-id")
    )
    built = dict(queries.public_history().values_list("announcement_id").annotate(n=Count("id")).order_by())
    rows = [{"announcement": a, "records": built.get(a.pk, 0)} for a in announcements]
    return render(request, "judging/records/manage.html", {"rows": rows})
