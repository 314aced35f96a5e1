from django.contrib.auth import views as auth_views
from django.urls import include, path

from kipp import views_accounts

urlpatterns = [
    path("masuk/", views_accounts.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views_accounts.signup, name="signup"),
    path("daftar/terkirim/", views_accounts.signup_done, name="signup_done"),
    path("verifikasi/kirim-ulang/", views_accounts.resend_verification, name="resend_verification"),
    path("verifikasi/<str:token>/", views_accounts.verify_email, name="verify_email"),
    path("buka-kunci/<str:token>/", views_accounts.unlock_account, name="unlock_account"),
    path("profil/", views_accounts.profile, name="profile"),
    path("keanggotaan/<int:pk>/<slug:answer>/", views_accounts.membership_answer, name="membership_answer"),
    path("2fa/", include("kipp.twofactor.urls")),
    path("profil/kata-sandi/", views_accounts.PasswordChangeView.as_view(), name="password_change"),
    path("undang/", views_accounts.invite, name="invite"),
    path("anggota-baru/", views_accounts.pending_members, name="pending_members"),
    path("anggota-baru/<int:pk>/", views_accounts.decide_membership, name="decide_membership"),
    path("undangan/<uidb64>/<token>/", views_accounts.AcceptInvitationView.as_view(), name="accept_invitation"),
    path("lupa-sandi/", views_accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        views_accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/", views_accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path(
        "atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="kipp/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
