from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kipp import forms

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="kipp/accounts/login.html", authentication_form=forms.LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "lupa-sandi/",
        auth_views.PasswordResetView.as_view(
            template_name="kipp/accounts/password_reset.html",
            email_template_name="kipp/email/password_reset.txt",
            subject_template_name="kipp/email/password_reset_subject.txt",
            success_url=reverse_lazy("kipp:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="kipp/accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="kipp/accounts/password_reset_confirm.html",
            success_url=reverse_lazy("kipp:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="kipp/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
