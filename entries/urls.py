from django.urls import path

from entries import views

app_name = "entries"

urlpatterns = [
    path("saya/", views.my_entries, name="my"),
    path("baru/<slug:slug>/", views.entry_create, name="create"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/ubah/", views.entry_edit, name="edit"),
    path("<int:pk>/lampiran/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/ajukan/", views.entry_submit, name="submit"),
    path("<int:pk>/tarik/", views.entry_withdraw, name="withdraw"),
    path("<int:pk>/cetak/", views.entry_print, name="print"),
    path("<int:pk>/verifikasi/", views.entry_verify, name="verify"),
    path("<int:pk>/keputusan/", views.entry_decide, name="decide"),
    path("<int:pk>/pemenang-terdahulu/", views.entry_past_winner, name="past_winner"),
    path("<int:pk>/perpanjang/", views.extend_deadline, name="extend_deadline"),
    path("lampiran/<int:pk>/", views.attachment_download, name="attachment"),
    path("lampiran/<int:pk>/kecil/", views.attachment_thumbnail, name="attachment_thumb"),
    path("lampiran/<int:pk>/hapus/", views.attachment_remove, name="attachment_remove"),
    path("verifikasi/", views.verify_queue, name="verify_queue"),
    path("seleksi/", views.selection, name="selection"),
    path("semua/", views.organiser_list, name="organiser_list"),
]
