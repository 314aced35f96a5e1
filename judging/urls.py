from django.urls import path

from judging.publication import views as publication
from judging.scoring import field, schedule_views, views

app_name = "judging"

urlpatterns = [
    path("saya/", views.my_rounds, name="my_rounds"),
    path("babak/", views.round_index, name="round_index"),
    path("babak/<slug:competition>/baru/", views.round_create, name="round_create"),
    path("babak/<slug:competition>/<slug:round_slug>/", views.round_dashboard, name="round_dashboard"),
    path("babak/<slug:competition>/<slug:round_slug>/atur/", views.round_setup, name="round_setup"),
    path("babak/<slug:competition>/<slug:round_slug>/aksi/<slug:action>/", views.round_action, name="round_action"),
    path(
        "babak/<slug:competition>/<slug:round_slug>/unduh/<slug:kind>.<slug:fmt>",
        views.round_download,
        name="round_download",
    ),
    path("babak/<slug:competition>/<slug:round_slug>/potret/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("babak/<slug:competition>/<slug:round_slug>/antrean/", views.judge_queue, name="queue"),
    path("lembar/<int:pk>/", views.sheet, name="sheet"),
    path("lembar/<int:pk>/konflik/", views.declare_conflict, name="declare_conflict"),
    path("lembar-nilai/<int:pk>/buka-kunci/", views.sheet_unlock, name="sheet_unlock"),
]

# Publication (announcements, public results, objections): judging/publication/views.py
urlpatterns += [
    path("pengumuman/", publication.public_list, name="public_list"),
    path("pengumuman/<int:pk>/", publication.public_announcement, name="public_announcement"),
    path("pengumuman/<int:pk>/pengumuman.pdf", publication.public_pdf, name="public_pdf"),
    path("pengumuman/<int:pk>/daftar.<slug:fmt>", publication.public_download, name="public_download"),
    path("pengumuman/<int:pk>/sanggah/", publication.public_objection, name="public_objection"),
    path("publikasi/", publication.announcement_index, name="announcement_index"),
    path(
        "publikasi/<slug:competition>/<slug:round_slug>/baru/",
        publication.announcement_prepare,
        name="announcement_prepare",
    ),
    path(
        "publikasi/<slug:competition>/<slug:round_slug>/baru-akhir/",
        publication.announcement_prepare,
        {"kind": "final"},
        name="announcement_prepare_final",
    ),
    path("publikasi/<int:pk>/", publication.announcement_manage, name="announcement_manage"),
    path("publikasi/<int:pk>/aksi/<slug:action>/", publication.announcement_action, name="announcement_action"),
    path("publikasi/sanggahan/<int:pk>/jawab/", publication.objection_answer, name="objection_answer"),
]

# Presentation schedules: judging/scoring/schedule_views.py
urlpatterns += [
    path("jadwal/<slug:competition>/<slug:round_slug>/", schedule_views.schedule_edit, name="schedule"),
    path("jadwal/<slug:competition>/<slug:round_slug>/cetak/", schedule_views.schedule_print, name="schedule_print"),
    path("jadwal/slot/<int:pk>/<slug:action>/", schedule_views.slot_action, name="slot_action"),
]

# Innovation records (issue 7): the organiser's certainty-of-the-cut page. Public record pages: judging/records/urls.py
from judging.records import views as records_views  # noqa: E402

urlpatterns += [
    path("babak/<slug:competition>/<slug:round_slug>/kepastian/", records_views.certainty, name="round_certainty"),
]

# The older entry-numbered addresses of public innovation records, served by the one record stack
# (judging/records/views.py): the catalogue of final outcomes, a redirect to the record, its photo, its display.
urlpatterns += [
    path("inovasi/", records_views.final_catalogue, name="records"),
    path("inovasi/<int:pk>/", records_views.entry_record, name="record"),
    path("inovasi/<int:pk>/foto/<int:attachment_pk>/", records_views.entry_record_photo, name="record_photo"),
    path("inovasi/<int:pk>/tampilan/", records_views.profile_settings, name="record_settings"),
]

# Field verification checklists: judging/scoring/field.py
urlpatterns += [
    path("lapangan/foto/<int:pk>/", field.field_photo, name="field_photo"),
    path("lapangan/<slug:competition>/<slug:round_slug>/", field.field_index, name="field_index"),
    path("lapangan/<slug:competition>/<slug:round_slug>/<int:pk>/", field.field_entry, name="field_entry"),
]
