"""Background jobs' pages, included by kipp/urls.py in the namespace `kipp` under /tugas/."""

from django.urls import path

from kipp.jobs import views

urlpatterns = [
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/unduh/", views.job_download, name="job_download"),
]
