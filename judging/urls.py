"""The judging app's URLs (namespace `judging`, under /penilaian/): each feature package's urls.py, included here
without a namespace of its own, so every name stays `judging:<name>`. The records package's own pages (/inovasi/,
namespace `records`) and the open data API (/api/v1/, namespace `api`) are included by kipp/urls.py."""

from django.urls import include, path

from judging.records import views as records_views

app_name = "judging"

urlpatterns = [
    path("", include("judging.scoring.urls")),
    path("", include("judging.publication.urls")),
]

# The older entry-numbered addresses of public innovation records, served by the one record stack
# (judging/records/views.py): the catalogue of final outcomes, a redirect to the record, its photo, its display.
urlpatterns += [
    path("inovasi/", records_views.final_catalogue, name="records"),
    path("inovasi/<int:pk>/", records_views.entry_record, name="record"),
    path("inovasi/<int:pk>/foto/<int:attachment_pk>/", records_views.entry_record_photo, name="record_photo"),
    path("inovasi/<int:pk>/tampilan/", records_views.profile_settings, name="record_settings"),
]
