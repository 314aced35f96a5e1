"""The judging app's URLs (namespace `judging`, under /penilaian/): each feature package's urls.py, included here
without a namespace of its own, so every name stays `judging:<name>`. The records package's own pages (/inovasi/,
namespace `records`) and the open data API (/api/v1/, namespace `api`) are included by kipp/urls.py."""

from django.urls import include, path

from judging.records import public_views as records

app_name = "judging"

urlpatterns = [
    path("", include("judging.scoring.urls")),
    path("", include("judging.publication.urls")),
]

# Public innovation records: judging/records/public_views.py
urlpatterns += [
    path("inovasi/", records.records_index, name="records"),
    path("inovasi/<int:pk>/", records.record_detail, name="record"),
    path("inovasi/<int:pk>/foto/<int:attachment_pk>/", records.record_photo, name="record_photo"),
    path("inovasi/<int:pk>/tampilan/", records.record_settings, name="record_settings"),
]
