"""The discussion phase's URLs, included by judging/scoring/urls.py (namespace `judging`)."""

from django.urls import path

from judging.scoring.discussion import views

urlpatterns = [
    path("diskusi/", views.my_discussions, name="my_discussions"),
    path("diskusi/<int:pk>/", views.thread, name="discussion_thread"),
    path("diskusi/<int:pk>/komentar/", views.comment, name="discussion_comment"),
    path("diskusi/<int:pk>/revisi/", views.revise, name="discussion_revise"),
    path("babak/<slug:competition>/<slug:round_slug>/diskusi/", views.round_discussion, name="round_discussion"),
    path(
        "babak/<slug:competition>/<slug:round_slug>/diskusi/mulai/",
        views.discussion_start,
        name="discussion_start",
    ),
    path(
        "babak/<slug:competition>/<slug:round_slug>/diskusi/tutup/",
        views.discussion_close,
        name="discussion_close",
    ),
]
