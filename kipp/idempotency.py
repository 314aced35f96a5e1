"""Honest answers to a form sent twice (issue 19): an idempotency key per rendered form.

A form that writes a versioned object (a judge's score sheet, an innovator's entry) carries a hidden field
`form_key` with a random key, new at every rendering. The service that writes, once it holds the object's row lock,
asks `Sending.recognise(current_version)` what this sending is, and after writing calls `Sending.record(version)`,
which keeps (key, person, action, version it left the object at, digest of what was sent) in `FormSubmission`, one
row per object (the last stored sending: only a sending of the object's current version can be a retry of it).

- RETRY: the same key, person, action and content, and the object is still at the version that sending left it at:
  the first sending was stored and its answer was lost (a worker killed after the commit, a dropped connection, a
  double click). Nothing is written; the answer is the normal success with "already saved".
- CONTINUES: the same key, the object still at the version this form left it at, but other content or the other
  button (a draft saved from this page, then "submit" pressed on the same page after the answer was lost). Nothing
  else changed the object since this form's own write, so the form goes on from that version.
- OVERTAKEN: the same key, but the object changed after this form's write (another tab saved, an organiser unlocked
  the sheet, a verifier returned the entry): a real conflict, answered as one (409, nothing written).
- An older sending of the same key replayed after that key's later sending (post A, then B "continues", then A
  again): OVERTAKEN as well, never stored again (it would roll the object back to A). The row keeps the digests of
  the last few sendings stored under its key (`digest`: up to four 16-hex-character digests, newest first).
- NEW: the key is unknown (a fresh form, or one rendered before a later save replaced the row): the form's own
  version check decides, as before.

The row lock is what makes this exact: a retry that arrives while the first sending is still being written waits
for the lock, then reads the committed row.
"""

import enum
import hashlib
import json
import secrets
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models

from kipp.models import FormSubmission

FIELD = "form_key"
KEY_BYTES = 24  # 32 characters of urlsafe base64
MAX_KEY_LENGTH = 64
DIGEST_CHARS = 16  # one sending's digest as kept in FormSubmission.digest (64 characters: the last four of a key)


class Retry(enum.Enum):
    NEW = "new"
    RETRY = "retry"
    CONTINUES = "continues"
    OVERTAKEN = "overtaken"


def new_key():
    """A fresh key for a form being rendered."""
    return secrets.token_urlsafe(KEY_BYTES)


def clean_key(value):
    """The key as posted, or "" when it is missing or not one of ours (then the sending is treated as keyless)."""
    value = value if isinstance(value, str) else ""
    if not 16 <= len(value) <= MAX_KEY_LENGTH or not value.isascii():
        return ""
    if not all(ch.isalnum() or ch in "-_" for ch in value):
        return ""
    return value


def _plain(value):
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def content_digest(content):
    """SHA-256 of what a form sent, in a canonical JSON form (dict keys sorted, model instances by label and pk)."""
    text = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class Sending:
    """One sending of a form: `key` (clean_key of the posted field, may be ""), the person, the object's reference
    (one string per object, e.g. "judging.assignment:12"), the action ("judging.sheet_submit") and what was sent."""

    def __init__(self, *, key, user, ref, action, content):
        self.key = clean_key(key)
        self.user = user
        self.ref = ref
        self.action = action
        self.digest = content_digest(content)[:DIGEST_CHARS]

    def recognise(self, current_version):
        """What this sending is (Retry), read under the object's lock. One indexed read; none without a key."""
        if not self.key:
            return Retry.NEW
        earlier = FormSubmission.objects.filter(object_ref=self.ref).only(
            "key", "user_id", "action", "version", "digest"
        )
        earlier = earlier.first()
        if earlier is None or earlier.key != self.key or earlier.user_id != self.user.pk:
            return Retry.NEW
        if earlier.version != current_version:
            return Retry.OVERTAKEN
        digests = [earlier.digest[i : i + DIGEST_CHARS] for i in range(0, len(earlier.digest), DIGEST_CHARS)]
        if earlier.action == self.action and digests[0] == self.digest:
            return Retry.RETRY
        if self.digest in digests[1:]:
            return Retry.OVERTAKEN  # an older sending of this form, after its own later one: stored already
        return Retry.CONTINUES

    def record(self, version):
        """Keep this sending as the object's last stored one (in the caller's transaction, under its lock). A key
        that another object's row already holds (only a tampered form does that) is not recorded. The same key's
        earlier digests stay behind this one (the last four), so that their replay is recognised."""
        if not self.key:
            return
        table = FormSubmission._meta.db_table
        sql = f"""
            INSERT INTO {table} (key, user_id, action, object_ref, version, digest, created_at)
            SELECT %s, %s, %s, %s, %s, %s, now()
             WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE key = %s AND object_ref <> %s)
            ON CONFLICT (object_ref) DO UPDATE
               SET key = EXCLUDED.key, user_id = EXCLUDED.user_id, action = EXCLUDED.action,
                   version = EXCLUDED.version, created_at = EXCLUDED.created_at,
                   digest = CASE WHEN {table}.key = EXCLUDED.key
                                 THEN left(EXCLUDED.digest || {table}.digest, 64) ELSE EXCLUDED.digest END
        """  # noqa: S608 - the table name from model meta, values are parameters
        params = [self.key, self.user.pk, self.action, self.ref, version, self.digest, self.key, self.ref]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def mark(obj, retry):
    """Tell the view whether the returned object was written now (False) or by an earlier sending (True)."""
    obj.already_saved = retry is Retry.RETRY
    return obj


def already_saved(obj):
    return getattr(obj, "already_saved", False)
