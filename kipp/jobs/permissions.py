"""Who may see a background job: the person who asked and the organisers (404 for anyone else)."""

from kipp.permissions import is_active_user, is_organiser


def can_view_job(user, job):
    return bool(is_active_user(user) and (job.requested_by_id == user.pk or is_organiser(user)))
