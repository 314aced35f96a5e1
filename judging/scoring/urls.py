"""Scoring's URLs, included by judging/urls.py in the namespace `judging` (no app_name of their own)."""

from django.urls import include, path
from django.views.decorators.gzip import gzip_page

from judging.scoring import certainty_views, views
from judging.scoring.field import views as field
from judging.scoring.schedule import views as schedule

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
    path(
        "babak/<slug:competition>/<slug:round_slug>/proposal/<int:entry>/lembar/",
        views.entry_sheets,
        name="entry_sheets",
    ),
    # The judge's queue and sheet pages are gzipped (a phone over a slow connection, issue 15; BREACH: docs/security.md)
    path("babak/<slug:competition>/<slug:round_slug>/antrean/", gzip_page(views.judge_queue), name="queue"),
    path("babak/<slug:competition>/<slug:round_slug>/kepastian/", certainty_views.certainty, name="round_certainty"),
    path(
        "babak/<slug:competition>/<slug:round_slug>/kepastian/hitung/",
        certainty_views.certainty_start,
        name="round_certainty_start",
    ),
    path("lembar/<int:pk>/", gzip_page(views.sheet), name="sheet"),
    path("lembar/<int:pk>/konflik/", views.declare_conflict, name="declare_conflict"),
    path("lembar-nilai/<int:pk>/buka-kunci/", views.sheet_unlock, name="sheet_unlock"),
]

# Presentation schedules: judging/scoring/schedule/
urlpatterns += [
    path("jadwal/<slug:competition>/<slug:round_slug>/", schedule.schedule_edit, name="schedule"),
    path("jadwal/<slug:competition>/<slug:round_slug>/cetak/", schedule.schedule_print, name="schedule_print"),
    path("jadwal/slot/<int:pk>/<slug:action>/", schedule.slot_action, name="slot_action"),
]

# Field verification checklists: judging/scoring/field/ (the photo before the round pages: "foto" is no round)
urlpatterns += [
    path("lapangan/foto/<int:pk>/", field.field_photo, name="field_photo"),
    path("lapangan/<slug:competition>/<slug:round_slug>/", field.field_index, name="field_index"),
    path("lapangan/<slug:competition>/<slug:round_slug>/<int:pk>/", field.field_entry, name="field_entry"),
]

# The discussion phase before the cut: judging/scoring/discussion/
urlpatterns += [path("", include("judging.scoring.discussion.urls"))]
