"""The product's URLs plus the bare comparison views of the benchmark (never in kipp.urls)."""

from django.urls import path

from bench import views
from kipp.urls import handler403, handler404, handler500  # noqa: F401
from kipp.urls import urlpatterns as product_patterns

urlpatterns = [
    path("__bench__/bare-ranking/<slug:competition>/<slug:round_slug>/", views.bare_ranking, name="bench_bare_ranking"),
    path("__bench__/bare-results/<slug:competition>/<slug:round_slug>/", views.bare_results, name="bench_bare_results"),
    *product_patterns,
]
