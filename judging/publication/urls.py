"""Publication's URLs (announcements, public results, objections), included by judging/urls.py in the namespace
`judging` (no app_name of their own)."""

from django.urls import include, path

from judging.publication import check_views, letterhead, objection_views, views

urlpatterns = [
    path("pengumuman/", views.public_list, name="public_list"),
    path("pengumuman/periksa/", check_views.check_document, name="check_document"),
    path("pengumuman/<int:pk>/", views.public_announcement, name="public_announcement"),
    path("pengumuman/<int:pk>/pengumuman.pdf", views.public_pdf, name="public_pdf"),
    path("pengumuman/<int:pk>/logo/", letterhead.logo, name="announcement_logo"),
    path("pengumuman/<int:pk>/daftar.<slug:fmt>", views.public_download, name="public_download"),
    path("pengumuman/<int:pk>/sanggah/", views.public_objection, name="public_objection"),
    path("publikasi/", views.announcement_index, name="announcement_index"),
    path(
        "publikasi/<slug:competition>/<slug:round_slug>/baru/",
        views.announcement_prepare,
        name="announcement_prepare",
    ),
    path(
        "publikasi/<slug:competition>/<slug:round_slug>/baru-akhir/",
        views.announcement_prepare,
        {"kind": "final"},
        name="announcement_prepare_final",
    ),
    path("publikasi/<int:pk>/", views.announcement_manage, name="announcement_manage"),
    path("publikasi/<int:pk>/aksi/<slug:action>/", views.announcement_action, name="announcement_action"),
    path("publikasi/sanggahan/<int:pk>/jawab/", objection_views.objection_answer, name="objection_answer"),
    path("", include("judging.publication.forwarding.urls")),
]
