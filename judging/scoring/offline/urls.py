"""Included at the site root (kipp/urls.py): a service worker's scope is its script's folder."""

from django.urls import path

from judging.scoring.offline import views

app_name = "offline"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("luring/", views.offline_page, name="offline_page"),
]
