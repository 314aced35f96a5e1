"""/akun/2fa/... (included by kipp/urls_accounts.py, in the kipp namespace)."""

from django.urls import path

from kipp.twofactor import views

urlpatterns = [
    path("", views.overview, name="twofactor"),
    path("daftar/", views.enrol, name="twofactor_enrol"),
    path("verifikasi/", views.verify, name="twofactor_verify"),
    path("kode-cadangan/", views.backup_codes, name="twofactor_backup_codes"),
    path("kode-cadangan/baru/", views.renew_backup_codes, name="twofactor_renew_backup_codes"),
    path("hapus/", views.remove, name="twofactor_remove"),
    path("atur-ulang/", views.reset_list, name="twofactor_reset_list"),
    path("atur-ulang/<int:pk>/", views.reset, name="twofactor_reset"),
]
