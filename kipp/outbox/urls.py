"""The outbox's URLs, included by kipp/urls.py in the namespace `kipp`."""

from django.urls import path

from kipp.outbox import views

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/kirim-ulang/", views.resend, name="outbox_resend"),
]
