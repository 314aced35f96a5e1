"""/o/<slug>/...: included from kipp/urls.py inside the `kipp` namespace."""

from django.urls import path

from kipp.organisations import views

urlpatterns = [
    path("<slug:slug>/", views.home, name="organisation"),
    path("<slug:slug>/logo/", views.logo, name="organisation_logo"),
    path("<slug:slug>/kop/", views.letterhead, name="organisation_letterhead"),
]
