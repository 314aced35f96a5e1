"""The permission matrix: every URL pattern of the project (walked through Django's resolver, the admin handled
as one group), requested as each kind of person, GET and POST, against the expected outcome in EXPECTED.

People: anonymous, owner (innovator of the entry's agency), other_innovator (another agency), verifier (the
entry's region) and other_verifier (another region), judge (assigned to the entry), unassigned_judge (a judge of
the round without this entry), conflicted_judge (assigned, with a declared conflict), organiser, pending_member (signed
up into the entry's agency, email verified, membership not confirmed by anyone yet: acts for nobody), and the people of
another organisation (tests/world.py): other_organiser, other_province_verifier, other_competition_judge.

Outcomes: ok (200), login (redirect to the login page), deny (403 or 404: refused or hidden), redirect (302
elsewhere: done, or sent on with a message), invalid (400/409/422: taken in and refused with a message, e.g. an
empty form), 405 (method not allowed). A 500 always fails. A URL pattern without a
row in EXPECTED fails the test with its name: add the row when you add the URL (KIPP_MATRIX_PRINT=1 with -s prints
the observed table in EXPECTED's format, to review and copy).
POSTs carry no data (and no CSRF check, which tests/security/test_csrf_sessions.py covers); each runs in a
transaction that is rolled back, so no request changes what the next one sees.
"""

import os

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.urlwalk import project_routes
from tests.world import build_world

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "other_innovator",
    "verifier",
    "other_verifier",
    "judge",
    "unassigned_judge",
    "conflicted_judge",
    "organiser",
    "pending_member",
    "other_organiser",
    "other_province_verifier",
    "other_competition_judge",
]


# route name: (GET outcomes, POST outcomes), one column per person, in this order:
#    anonymous owner other_innovator verifier other_verifier judge unassigned_judge conflicted_judge organiser
#    pending_member other_organiser other_province_verifier other_competition_judge
# The three last are people of another organisation (issue 13): every page of the world's competition is deny for
# them; the organisers' list pages (entries, selection, rounds, announcements, competitions, audit log, people,
# two-factor resets, records) are ok for other_organiser because they list only their own organisation's rows
# (tests/kipp/test_isolation.py shows that another organisation's rows never appear there).
EXPECTED = {
    #    anonymou owner    other-in verifier other-ve judge    unassign conflict organise pending  other-or other-pv other-cj
    "api:announcement_detail": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:announcement_results": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:announcements": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:index": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:openapi": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:record_detail": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "api:records": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "entries:attachment": (
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "entries:attachment_add": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:attachment_remove": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     redirect deny     redirect deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:attachment_thumb": (
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "entries:create": (
        "login    ok       ok       deny     deny     deny     deny     deny     deny     ok       deny     deny     deny",
        "login    ok       ok       deny     deny     deny     deny     deny     deny     ok       deny     deny     deny",
    ),
    "entries:decide": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:past_winner": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:detail": (
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
    ),
    "entries:edit": (
        "login    ok       deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
        "login    ok       deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:extend_deadline": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "entries:my": (
        "login    ok       ok       deny     deny     deny     deny     deny     deny     ok       deny     deny     deny",
        "login    ok       ok       deny     deny     deny     deny     deny     deny     ok       deny     deny     deny",
    ),
    "entries:organiser_list": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "entries:print": (
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    ok       deny     ok       deny     ok       deny     deny     ok       deny     deny     deny     deny",
    ),
    "entries:selection": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "entries:submit": (
        "login    ok       deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
        "login    invalid  deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:verify": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     redirect deny     redirect deny     deny     redirect deny     deny     deny     deny",
    ),
    "entries:verify_queue": (
        "login    deny     deny     ok       ok       deny     deny     deny     deny     deny     deny     ok       deny",
        "login    deny     deny     ok       ok       deny     deny     deny     deny     deny     deny     ok       deny",
    ),
    "entries:withdraw": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:forwarding_index": (  # other_organiser: an overview of their own organisation's feeds only
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "judging:forwarding_settings": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:forwarding_nominate": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:announcement_action": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:announcement_index": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "judging:announcement_manage": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:announcement_prepare": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:announcement_prepare_final": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:declare_conflict": (
        "login    deny     deny     deny     deny     ok       deny     ok       deny     deny     deny     deny     deny",
        "login    deny     deny     deny     deny     ok       deny     ok       deny     deny     deny     deny     deny",
    ),
    "judging:discussion_close": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    # the world's judge is assigned to the listed entry without a final sheet on it: not on its panel, so the
    # thread, comments and revisions are refused (the panel's own way in: tests/judging/scoring/test_discussion*.py)
    "judging:discussion_comment": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:discussion_revise": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:discussion_start": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:discussion_thread": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:field_entry": (
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:field_index": (  # judges of other rounds are refused (issue 17): only the field round's own judges
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:field_photo": (
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:my_discussions": (
        "login    deny     deny     deny     deny     ok       ok       ok       deny     deny     deny     deny     ok",
        "login    deny     deny     deny     deny     ok       ok       ok       deny     deny     deny     deny     ok",
    ),
    "judging:my_rounds": (
        "login    deny     deny     deny     deny     ok       ok       ok       deny     deny     deny     deny     ok",
        "login    deny     deny     deny     deny     ok       ok       ok       deny     deny     deny     deny     ok",
    ),
    "judging:objection_answer": (  # an empty answer: the manage page again with the form's error (400)
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "judging:public_announcement": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "judging:public_download": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "judging:check_document": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
    ),
    "judging:public_list": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "judging:public_objection": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "judging:announcement_logo": (  # the logo a published announcement was prepared with: public like its page
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "judging:public_pdf": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "judging:queue": (  # an organiser has no queue: sent to the round's dashboard (issue 17)
        "login    deny     deny     deny     deny     ok       ok       ok       redirect deny     deny     deny     deny",
        "login    deny     deny     deny     deny     ok       ok       ok       redirect deny     deny     deny     deny",
    ),
    "judging:record": (
        "deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
        "deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:record_photo": (
        "deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
        "deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:record_settings": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:records": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "judging:round_action": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:round_certainty": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:round_certainty_start": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:round_create": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:round_dashboard": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:entry_sheets": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "judging:round_discussion": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:round_download": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:round_index": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "judging:round_setup": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:schedule": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:schedule_print": (
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
    ),
    "judging:sheet": (
        "login    deny     deny     deny     deny     ok       deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     invalid  deny     deny     deny     deny     deny     deny     deny",
    ),
    "judging:sheet_unlock": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:slot_action": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     deny     deny     deny",
    ),
    "judging:snapshot": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
    ),
    "kipp:accept_invitation": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:area_search": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:competition_create": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "kipp:organisation": (  # an organisation's public home (kipp/organisations)
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:organisation_logo": (  # public: it heads every public announcement
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:organisation_letterhead": (  # organisers (memberships will narrow this to the organisation's own)
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "kipp:outbox": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:outbox_resend": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "kipp:audit_log": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:competitions": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "kipp:decide_membership": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    invalid  deny     invalid  deny     deny     deny     deny     invalid  deny     deny     deny     deny",
    ),
    "kipp:pending_members": (
        "login    ok       ok       ok       ok       deny     deny     deny     ok       deny     ok       ok       deny",
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:dashboard": (
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "offline:offline_page": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "offline:service_worker": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:health": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:health_ready": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:home": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:invite": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "kipp:job": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:job_download": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     deny     deny     deny",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:login": (
        "ok       redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "ok       redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:logout": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:membership_answer": (  # someone else's (or no) pending membership: not found for everybody
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "kipp:password_change": (
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:password_reset": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:password_reset_complete": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:password_reset_confirm": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:password_reset_done": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "kipp:profile": (
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:twofactor": (
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:twofactor_backup_codes": (
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:twofactor_enrol": (
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "login    ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:twofactor_remove": (
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:twofactor_renew_backup_codes": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:twofactor_reset": (
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "kipp:twofactor_reset_list": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
    ),
    "kipp:twofactor_verify": (
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "login    redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:resend_verification": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
    ),
    "kipp:signup": (
        "ok       redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
        "ok       redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
    "kipp:signup_done": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
    ),
    "kipp:unlock_account": (
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
    ),
    "kipp:verify_email": (
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
        "invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid  invalid",
    ),
    "records:catalogue": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "records:detail": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "records:manage": (
        "login    deny     deny     deny     deny     deny     deny     deny     ok       deny     ok       deny     deny",
        "login    deny     deny     deny     deny     deny     deny     deny     redirect deny     redirect deny     deny",
    ),
    "records:photo": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "records:replication_answer": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "records:replication_implemented": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    redirect redirect deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "records:replication_request": (
        "login    405      405      405      405      405      405      405      405      405      405      405      405",
        "login    deny     redirect deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "records:statistics": (
        "ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok       ok",
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
    ),
    "records:update": (
        "login    ok       deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
        "login    ok       deny     deny     deny     deny     deny     deny     deny     deny     deny     deny     deny",
    ),
    "set_language": (
        "405      405      405      405      405      405      405      405      405      405      405      405      405",
        "redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect",
    ),
}


class Rollback(Exception):
    pass


def classify(response):
    status = response.status_code
    if status == 200:
        return "ok"
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse(settings.LOGIN_URL)) else "redirect"
    if status in (403, 404):
        return "deny"
    if status in (400, 409, 422):
        return "invalid"  # taken in, refused with a message (bad token, empty form, incomplete entry)
    return str(status)


def args_for(name, w, role):
    """The URL's parameters in the world, per route (and per role where the relation to the entry matters)."""
    later = w.announcement.round if w.announcement else w.round
    base = {
        "competition": w.competition.slug,
        "round_slug": w.round.slug,
        "slug": w.competition.slug,
        "pk": w.entry.pk,
        "uidb64": "MQ",
        "token": "bukan-token",
        "kind": "nilai",
        "fmt": "csv",
        "action": "settings",
    }
    draft_entry = {"pk": w.draft.pk}
    per_route = {
        "entries:edit": draft_entry,
        "entries:attachment_add": draft_entry,
        "entries:submit": draft_entry,
        "entries:withdraw": draft_entry,
        "entries:attachment": {"pk": w.attachment.pk},
        "entries:attachment_thumb": {"pk": w.attachment.pk},
        "entries:attachment_remove": {"pk": w.attachment.pk},
        "judging:sheet": {"pk": w.assignment.pk},
        "judging:entry_sheets": {"entry": w.entry.pk},
        "judging:discussion_thread": {"pk": w.extra.get("discussion_entry", 999999)},
        "judging:discussion_comment": {"pk": w.extra.get("discussion_entry", 999999)},
        "judging:discussion_revise": {"pk": w.extra.get("discussion_entry", 999999)},
        "judging:declare_conflict": {"pk": w.assignment.pk},
        "judging:sheet_unlock": {"pk": w.assignment.sheet.pk},
        "judging:snapshot": {"round_slug": later.slug, "pk": w.extra.get("snapshot", 999999)},
        "judging:schedule": {"round_slug": later.slug},
        "judging:schedule_print": {"round_slug": later.slug},
        "judging:slot_action": {"pk": w.extra.get("slot", 999999), "action": "up"},
        "judging:objection_answer": {"pk": w.extra.get("objection", 999999)},
        "judging:announcement_prepare": {"round_slug": later.slug},
        "judging:announcement_prepare_final": {"round_slug": later.slug},
        "judging:announcement_action": {"pk": getattr(w.announcement, "pk", 999999), "action": "edit"},
        "judging:field_index": {"round_slug": w.extra.get("field_round", "tidak-ada")},
        "judging:field_entry": {"round_slug": w.extra.get("field_round", "tidak-ada"), "pk": w.entry.pk},
        "judging:record": {"pk": w.extra.get("record", 999999)},
        "judging:record_settings": {"pk": w.entry.pk},  # an entry's public display (not a record's pk)
        "judging:record_photo": {"pk": w.extra.get("record", 999999), "attachment_pk": w.attachment.pk},
        "records:detail": {"key": w.extra.get("record_key", "tidak-ada")},
        "records:update": {"key": w.extra.get("record_key", "tidak-ada")},
        "kipp:decide_membership": {"pk": w.pending_member.pk},
        "judging:forwarding_settings": {"competition": w.extra.get("upper", "tidak-ada")},
        "judging:forwarding_nominate": {"upper": w.extra.get("upper", "tidak-ada")},
        "kipp:organisation": {"slug": w.competition.organisation.slug},
        "kipp:organisation_logo": {"slug": w.competition.organisation.slug},
        "kipp:organisation_letterhead": {"slug": w.competition.organisation.slug},
        "kipp:membership_answer": {"pk": 999999, "answer": "terima"},
        "kipp:job": {"pk": w.extra.get("job", 999999)},
        "kipp:job_download": {"pk": w.extra.get("job", 999999)},
        "records:replication_request": {"key": w.extra.get("record_key", "tidak-ada")},
        "records:photo": {
            "key": w.extra.get("record_key", "tidak-ada"),
            "source": "proposal",
            "pk": w.attachment.pk,
            "size": "kecil",
        },
        "records:replication_answer": {"pk": w.extra.get("replication", 999999)},
        "records:replication_implemented": {"pk": w.extra.get("replication", 999999)},
        "api:announcement_detail": {"pk": getattr(w.announcement, "pk", 999999)},
        "api:announcement_results": {"pk": getattr(w.announcement, "pk", 999999)},
        "api:record_detail": {"slug": w.extra.get("record_key", "tidak-ada")},
    }
    for key in (
        "announcement_manage",
        "public_announcement",
        "public_download",
        "public_objection",
        "public_pdf",
        "announcement_logo",
    ):
        per_route[f"judging:{key}"] = {"pk": getattr(w.announcement, "pk", 999999)}
    per_role = {
        ("judging:sheet", "conflicted_judge"): {"pk": w.conflicted_assignment.pk},
        ("judging:declare_conflict", "conflicted_judge"): {"pk": w.conflicted_assignment.pk},
    }
    return {**base, **per_route.get(name, {}), **per_role.get((name, role), {})}


def _done_job(w):
    """A background job of the organiser's, done, with its file (kipp/jobs)."""
    from kipp.jobs import services as job_services

    job = job_services.start_job(kind="export_results", actor=w.organiser, round_=w.round, params={"format": "csv"})

    def work(job):
        name = job_services.store_file(job, "hasil.csv", lambda handle: handle.write(b"rank\r\n"))
        return job_services.FileResult(name, "hasil.csv", "text/csv")

    return job_services.run_job(job.pk, work)


def _discussion_entry(w):
    """The world's entry listed in a discussion of its open round (written directly; the services are tested in
    tests/judging/scoring/test_discussion.py)."""
    import datetime as _dt

    from django.utils import timezone as _tz

    from judging.models import Discussion, DiscussionEntry

    now = _tz.now()
    discussion = Discussion.objects.create(
        round=w.round, starts_at=now, ends_at=now + _dt.timedelta(days=1), spread=15, places=5, started_by=w.organiser
    )
    return DiscussionEntry.objects.create(discussion=discussion, entry=w.entry, rank=1, total=75, spread=20, judges=2)


def _organisation_logo(w):
    """The world's organisation with a logo (kipp/organisations), so that its logo's address answers."""
    from kipp.images import clean_image
    from kipp.organisations.services import update_letterhead
    from tests.world import png

    organisation = update_letterhead(
        organisation=w.competition.organisation, actor=w.organiser, fields={}, logo=clean_image(png(), "logo.png")
    )
    if w.announcement is not None:
        # as if the world's announcement had been prepared after the logo (it is sealed: written past the trigger)
        from django.db import connection

        from judging.models import Announcement
        from judging.publication.letterhead import freeze

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off, as a superuser can
            Announcement.objects.filter(pk=w.announcement.pk).update(**freeze(organisation))
            cursor.execute("SET LOCAL session_replication_role = origin")


def _upper_competition(w):
    """A national competition fed by the world's competition (judging/publication/forwarding), quota 3."""
    from judging.publication.forwarding.services import configure_feeding
    from kipp.models import Membership
    from kipp.permissions import forget_memberships
    from tests.factories import CompetitionFactory, OrganisationFactory

    national = OrganisationFactory(slug="kemenpanrb-uji")
    upper = CompetitionFactory(slug="kipp-nasional-uji", organisation=national)
    # the world's organiser organises both ends here, so the matrix's "organiser" column reaches both
    Membership.objects.get_or_create(user=w.organiser, organisation=national, kind="organiser")
    forget_memberships(w.organiser)  # read again by the next predicate
    configure_feeding(competition=upper, actor=w.organiser, quota=3, lowers=[w.competition])
    return upper


def add_objects(w):
    """A ranking snapshot, a schedule slot and an objection, when those parts exist."""
    from judging.models import RankingSnapshot

    later = w.announcement.round if w.announcement else w.round
    w.extra["job"] = _done_job(w).pk
    w.extra["discussion_entry"] = _discussion_entry(w).pk
    w.extra["upper"] = _upper_competition(w).slug
    _organisation_logo(w)
    snapshot = RankingSnapshot.objects.filter(round=later).first()
    if snapshot:
        w.extra["snapshot"] = snapshot.pk
    try:
        from judging.models import ScheduleSlot
        from judging.publication import services as publication_services
    except ImportError:
        return
    import datetime

    from judging.models import Assignment, Round, RoundEntry

    field = Round.objects.create(
        competition=w.competition,
        slug="verifikasi-lapangan",
        name="Verifikasi lapangan",
        order=3,
        kind="field",
        state="open",
    )
    RoundEntry.objects.create(round=field, entry=w.entry, source="organiser", reason="uji")
    Assignment.objects.create(round=field, entry=w.entry, judge=w.judge, source="manual")
    w.extra["field_round"] = field.slug
    slot = ScheduleSlot.objects.create(
        round=later, entry=w.entry, date=datetime.date(2023, 3, 6), start=datetime.time(9, 0), position=1
    )
    w.extra["slot"] = slot.pk
    if w.announcement is not None:
        objection = publication_services.file_objection(
            announcement=w.announcement, entry=w.entry, reason="Data dampak tidak sesuai.", name="Warga", email="w@x.id"
        )
        w.extra["objection"] = objection.pk
        try:
            from judging.records import services as records_services
        except ImportError:
            return
        records = records_services.build_records(announcement=w.announcement)
        if records:
            record = records[0]
            w.extra["record_key"] = record.slug
            w.extra["record"] = record.pk
            replication = records_services.request_replication(
                record=record, actor=w.other_innovator, plan="Kami ingin menerapkan di Makassar.", notify=False
            )
            w.extra["replication"] = replication.pk


def observe(client, method, url):
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)  # a logout (or login) in this request must not follow the next one
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            raise Rollback(response)
    except Rollback as done:
        return classify(done.args[0])
    finally:
        client.cookies = cookies


def test_every_url_pattern_has_an_expected_outcome_for_every_role(media_root):
    w = build_world()
    add_objects(w)
    routes = project_routes()
    names = {r.name for r in routes}
    missing = sorted(names - set(EXPECTED))
    assert os.environ.get("KIPP_MATRIX_PRINT") or not missing, (
        f"URL patterns without a row in EXPECTED (tests/test_permission_matrix.py): {missing}. Add one row per new "
        "URL with the outcome expected for each person."
    )
    stale = sorted(set(EXPECTED) - names)
    assert os.environ.get("KIPP_MATRIX_PRINT") or not stale, (
        f"Rows in EXPECTED for URL patterns that no longer exist: {stale}"
    )
    people = w.people()
    wrong = []
    observed = {}
    for index, role in enumerate(ROLES):
        client = Client()
        if people[role] is not None:
            client.force_login(people[role])
        for route in routes:
            url = route.url(**args_for(route.name, w, role))
            for method, expected_row in zip(("GET", "POST"), EXPECTED.get(route.name, ("?", "?")), strict=True):
                expected = (expected_row.split() + ["?"] * len(ROLES))[index]
                got = observe(client, method, url)
                observed.setdefault((route.name, method), []).append(got)
                if got != expected:
                    wrong.append(f"{method} {route.name} {url} as {role}: expected {expected}, got {got}")
    if os.environ.get("KIPP_MATRIX_PRINT"):  # -s: print the observed table in EXPECTED's format, to review
        for name in sorted({n for n, _ in observed}):
            cells = [" ".join(f"{o:8}" for o in observed[(name, m)]).rstrip() for m in ("GET", "POST")]
            print(f'    "{name}": (\n        "{cells[0]}",\n        "{cells[1]}",\n    ),')
    assert not wrong, "\n".join(wrong)


def test_admin_urls_are_for_staff_only():
    """The admin as one group: it is for portal administrators (superusers) only; anonymous people and every role,
    organisers (staff) included, never get an admin page, and nobody hits an error."""
    from tests.factories import InnovatorFactory, JudgeFactory, OrganiserFactory

    admin_routes = [r for r in project_routes(include_admin=True) if r.route.startswith("admin/")]
    assert len(admin_routes) > 20
    for user in (None, InnovatorFactory(), JudgeFactory(), OrganiserFactory()):
        client = Client()
        if user is not None:
            client.force_login(user)
        for route in admin_routes:
            response = client.get(route.url())
            assert response.status_code < 500, f"{route.url()} as {user}: {response.status_code}"
            if route.route == "admin/login/":
                continue  # the admin's own login form is open to anyone
            if user is None or not user.is_superuser:
                final = client.get(route.url(), follow=True)
                landed = final.request["PATH_INFO"]
                assert final.status_code in (404, 405) or landed == "/admin/login/", (
                    f"{route.url()} open to {user}: {final.status_code} at {landed}"
                )
