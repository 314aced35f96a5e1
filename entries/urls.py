from django.urls import path

from entries import views

app_name = "entries"

urlpatterns = [
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment"),
    path("lampiran/<int:pk>/kecil/", views.attachment_thumbnail, name="attachment_thumb"),
]
