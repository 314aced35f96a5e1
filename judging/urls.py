from django.urls import path

from judging import views

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
