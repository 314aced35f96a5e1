"""Scoring's refusal page: a person who may not use a page is told why, with status 403
(judging/scoring/refused.html)."""

from django.shortcuts import render


def refuse(request, message, status=403):
    return render(request, "judging/scoring/refused.html", {"message": message}, status=status)
