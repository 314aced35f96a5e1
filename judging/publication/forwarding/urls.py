"""Forwarding upward's URLs, included by judging/publication/urls.py (namespace `judging`)."""

from django.urls import path

from judging.publication.forwarding import views

urlpatterns = [
    path("publikasi/penerusan/", views.forwarding_index, name="forwarding_index"),
    path("publikasi/penerusan/<slug:competition>/", views.forwarding_settings, name="forwarding_settings"),
    path(
        "publikasi/penerusan/<slug:competition>/usulkan/<slug:upper>/",
        views.forwarding_nominate,
        name="forwarding_nominate",
    ),
]
