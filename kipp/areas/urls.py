from django.urls import path

from kipp.areas import views

# included from kipp/urls.py inside the "kipp" namespace
urlpatterns = [path("cari/", views.search, name="area_search")]
