from django.contrib import admin
from django.urls import include, path

from kipp import health, views, views_accounts, views_audit, views_competitions

kipp_patterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("akun/", include("kipp.urls_accounts")),
    path("kompetisi/", views_competitions.competition_list, name="competitions"),
    path("kompetisi/baru/", views_competitions.competition_create, name="competition_create"),
    path("catatan-audit/", views_audit.audit_log, name="audit_log"),
    path("tugas/", include("kipp.jobs.urls")),  # background jobs: kipp/jobs/
    path("wilayah/", include("kipp.areas.urls")),  # Indonesia's areas: kipp/areas/
    path("kompetisi/<slug:slug>/kotak-keluar/", include("kipp.outbox.urls")),
    path("o/", include("kipp.organisations.urls")),  # organisations' homes and letterheads: kipp/organisations/
    path(health.LIVENESS_ROUTE, health.liveness, name="health"),  # answered by kipp.health.HealthCheckMiddleware
    path(health.READINESS_ROUTE, health.readiness, name="health_ready"),
]

urlpatterns = [
    path("", include((kipp_patterns, "kipp"))),
    path("proposal/", include("entries.urls")),
    path("penilaian/", include("judging.urls")),
    path("inovasi/", include("judging.records.urls")),
    path("api/v1/", include("judging.api.urls")),
    path("", include("judging.scoring.offline.urls")),  # /sw.js (scope /) and /luring/: offline scoring, issue 15
    path("i18n/setlang/", views_accounts.set_language, name="set_language"),  # also saves a signed-in user's choice
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "kipp.bad_input.error_400"
handler403 = "kipp.views.error_403"
handler404 = "kipp.views.error_404"
handler500 = "kipp.views.error_500"
