"""Who may see a background job: the person who asked and the organisers of its competition (404 for anyone
else); a job of no competition, only the person who asked and the portal administrator."""

from kipp.permissions import is_active_user, is_organiser_of, organised_organisation_ids


def can_view_job(user, job):
    if not is_active_user(user):
        return False
    if job.requested_by_id == user.pk:
        return True
    if job.competition_id is None:
        return organised_organisation_ids(user) is None
    return is_organiser_of(user, job.competition.organisation_id)
