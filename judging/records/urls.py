"""Public URLs of innovation records, included at /inovasi/ by kipp/urls.py (namespace "records")."""

from django.urls import path

from judging.records import views

app_name = "records"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("statistik/", views.statistics, name="statistics"),
    path("kelola/", views.manage, name="manage"),
    path("replikasi/<int:pk>/jawab/", views.replication_answer, name="replication_answer"),
    path("replikasi/<int:pk>/diterapkan/", views.replication_implemented, name="replication_implemented"),
    path("<str:key>/", views.record_detail, name="detail"),
    path("<str:key>/perbarui/", views.record_update, name="update"),
    path("<str:key>/replikasi/", views.replication_request, name="replication_request"),
    path(
        "<str:key>/foto/<slug:source>/<int:pk>/<slug:size>/",
        views.record_photo,
        name="photo",
    ),
]
