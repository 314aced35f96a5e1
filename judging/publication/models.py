"""Publication: announcements (Pengumuman) with two-person sign-off and versions, their frozen lists, reasoned
changes, objections (uji publik) and public profiles.

Imported at the bottom of judging/models.py, so these are models of the judging app."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from entries.models import Entry
from judging.publication.enums import AnnouncementKind, AnnouncementState, ListOrder
from judging.scoring.enums import Outcome
from kipp.scopes import OrganisationScopedManager

__all__ = [
    "Announcement",
    "AnnouncementRow",
    "Objection",
    "PublicProfile",
    "DifferenceReason",
    "SelectionChange",
]


def _as_array(expression):
    """ARRAY[expression] in SQL, for `editor_ids @> ARRAY[a_user_id]` in the constraints."""
    return Func(
        expression, template="ARRAY[%(expressions)s]::bigint[]", output_field=ArrayField(models.BigIntegerField())
    )


class Announcement(models.Model):
    """One version of a numbered announcement of a round's results. A correction after publication is a new row
    (version + 1, `previous` = the corrected version, a correction note); earlier versions stay readable."""

    round = models.ForeignKey("judging.Round", on_delete=models.PROTECT, related_name="announcements")
    kind = models.CharField(_("jenis"), max_length=8, choices=AnnouncementKind.choices, default=AnnouncementKind.ROUND)
    number = models.CharField(_("nomor"), max_length=60, help_text=_("Contoh: 065/134/II/B"))
    title = models.CharField(_("judul"), max_length=200)
    date = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=100)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    letterhead = models.TextField(_("kop surat"), max_length=1000)
    # The letterhead as it stood when the announcement was prepared (publication/letterhead.py): `letterhead` holds
    # its heading lines, these its address and the stored name and size of its logo. A later change of the
    # organisation's letterhead never changes a prepared or published announcement; sealed with it at approval.
    letterhead_address = models.CharField(_("alamat kop"), max_length=300, blank=True)
    letterhead_logo = models.CharField(_("logo kop"), max_length=300, blank=True)
    letterhead_logo_width = models.PositiveIntegerField(null=True, blank=True)
    letterhead_logo_height = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(_("isi pengumuman"), max_length=10000)
    show_ranks = models.BooleanField(_("tampilkan peringkat"), default=True)
    show_totals = models.BooleanField(_("tampilkan nilai"), default=False)
    list_order = models.CharField(_("urutan daftar"), max_length=12, choices=ListOrder.choices, default=ListOrder.RANK)
    embargo_until = models.DateTimeField(_("tidak boleh tayang sebelum (WITA)"))
    objection_days = models.PositiveSmallIntegerField(_("masa sanggah (hari)"), default=5)
    state = models.CharField(
        _("status"), max_length=10, choices=AnnouncementState.choices, default=AnnouncementState.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("koreksi atas"),
    )
    correction_note = models.TextField(_("catatan koreksi"), blank=True, max_length=4000)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("disiapkan"))
    # Everyone who prepared or changed this version (text, list, carried-over changes of a correction): none of them
    # may approve it (the two-person rule, enforced by approve_announcement and by a CHECK below).
    editor_ids = ArrayField(models.BigIntegerField(), verbose_name=_("disiapkan atau diubah oleh"), default=list)
    submitted_at = models.DateTimeField(_("diajukan untuk persetujuan"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("disetujui dan diumumkan"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("alasan pembatalan"), blank=True, max_length=2000)
    notified_at = models.DateTimeField(_("peserta diberi tahu"), null=True, blank=True)
    feedback_released_at = models.DateTimeField(_("umpan balik dibuka"), null=True, blank=True)
    feedback_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Written once at approval (judging.publication.fingerprint.seal); a trigger refuses any later change.
    canonical_csv = models.TextField(_("CSV kanonik"), blank=True, editable=False)
    fingerprint = models.CharField(_("sidik jari (SHA-256)"), max_length=64, blank=True, editable=False)
    objects = OrganisationScopedManager("round__competition__organisation_id")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="announcement_two_person_rule",
            ),
            models.CheckConstraint(
                condition=Q(editor_ids__contains=_as_array(F("prepared_by"))),
                name="announcement_preparer_is_editor",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(editor_ids__contains=_as_array(F("approved_by"))),
                name="announcement_approver_is_no_editor",
            ),
            models.CheckConstraint(
                condition=~Q(state=AnnouncementState.PUBLISHED)
                | Q(approved_by__isnull=False, published_at__isnull=False),
                name="announcement_published_is_approved",
            ),
            models.CheckConstraint(
                condition=Q(version=1, previous__isnull=True) | Q(version__gt=1, previous__isnull=False),
                name="announcement_version_chain",
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(correction_note=""), name="announcement_correction_has_note"
            ),
            models.CheckConstraint(
                condition=~Q(state=AnnouncementState.WITHDRAWN) | ~Q(withdrawn_reason=""),
                name="announcement_withdrawn_has_reason",
            ),
            models.CheckConstraint(condition=Q(state__in=AnnouncementState.values), name="announcement_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=AnnouncementKind.values), name="announcement_kind_valid"),
            models.CheckConstraint(condition=Q(list_order__in=ListOrder.values), name="announcement_order_valid"),
            models.CheckConstraint(condition=~Q(number=""), name="announcement_has_number"),
            models.CheckConstraint(
                condition=Q(fingerprint="") | Q(fingerprint__regex=r"^[0-9a-f]{64}$"),
                name="announcement_fingerprint_is_sha256_hex",
            ),
            models.CheckConstraint(
                condition=~Q(state=AnnouncementState.PUBLISHED) | ~Q(fingerprint=""),
                name="announcement_published_has_fingerprint",
            ),
            models.UniqueConstraint(
                fields=["previous"],
                condition=~Q(state=AnnouncementState.WITHDRAWN),
                name="announcement_one_live_correction",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "embargo_until"]),
            models.Index(fields=["fingerprint"], name="announcement_fingerprint_idx"),
        ]

    def __str__(self):
        suffix = f" (v{self.version})" if self.version > 1 else ""
        return f"Pengumuman {self.number}{suffix}"

    def save(self, *args, **kwargs):
        # The preparer is always one of the editors (the CHECK announcement_preparer_is_editor asks for it).
        if self.prepared_by_id is not None and self.prepared_by_id not in self.editor_ids:
            self.editor_ids = [*self.editor_ids, self.prepared_by_id]
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "editor_ids"}
        super().save(*args, **kwargs)


class AnnouncementRow(models.Model):
    """One entry of an announcement's list, frozen at preparation (copied from the round's ranking), so that a
    later score change never alters it. `ranked_outcome` is what the ranking said; `outcome` what is announced."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="rows")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="announcement_rows")
    rank = models.PositiveIntegerField(_("peringkat"))
    total = models.FloatField(_("nilai"), null=True, blank=True)
    judges = models.PositiveSmallIntegerField(_("jumlah juri"), default=0)
    ranked_outcome = models.CharField(_("hasil peringkat"), max_length=12, choices=Outcome.choices)
    outcome = models.CharField(_("hasil diumumkan"), max_length=12, choices=Outcome.choices)
    entry_code = models.CharField(_("kode"), max_length=40)
    title = models.CharField(_("judul inovasi"), max_length=250)
    agency = models.CharField(_("instansi"), max_length=200)
    region = models.CharField(_("daerah"), max_length=140)
    category = models.CharField(_("kategori"), max_length=200, blank=True)
    objects = OrganisationScopedManager("announcement__round__competition__organisation_id")

    class Meta:
        ordering = ["announcement", "rank"]
        verbose_name = _("baris pengumuman")
        verbose_name_plural = _("baris pengumuman")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "entry"], name="announcement_row_entry_unique"),
            models.UniqueConstraint(fields=["announcement", "rank"], name="announcement_row_rank_unique"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="announcement_row_outcome_valid"),
        ]
        indexes = [models.Index(fields=["announcement", "outcome", "rank"])]

    def __str__(self):
        return f"{self.announcement} · {self.rank}. {self.entry_code}"


class SelectionChange(models.Model):
    """The organiser moved an entry in or out of the list, with a written reason (shown in the method note)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="changes")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    from_outcome = models.CharField(_("dari"), max_length=12, choices=Outcome.choices)
    to_outcome = models.CharField(_("menjadi"), max_length=12, choices=Outcome.choices)
    reason = models.TextField(_("alasan"), max_length=2000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["announcement", "created_at", "id"]
        verbose_name = _("perubahan daftar")
        verbose_name_plural = _("perubahan daftar")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="selection_change_has_reason"),
            models.CheckConstraint(condition=~Q(from_outcome=F("to_outcome")), name="selection_change_changes"),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.from_outcome} -> {self.to_outcome}"


class DifferenceReason(models.Model):
    """Why an entry's place in a correction differs from the version it corrects, where no SelectionChange of the
    correction says it (a re-score moved it): typed by the organiser, shown to the approver and the public. A
    correction whose list differs without a reason for each difference is not submitted or approved."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="difference_reasons")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("alasan"), max_length=2000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["announcement", "created_at", "id"]
        verbose_name = _("alasan perbedaan koreksi")
        verbose_name_plural = _("alasan perbedaan koreksi")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="difference_reason_has_text"),
            models.UniqueConstraint(fields=["announcement", "entry"], name="difference_reason_one_per_entry"),
        ]

    def __str__(self):
        return f"{self.announcement} · {self.entry_id}"


class Objection(models.Model):
    """A sanggahan during the objection window (uji publik): by a signed-in person or by name and email."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="objections")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("email"))
    reason = models.TextField(_("alasan sanggahan"), max_length=4000)
    created_at = models.DateTimeField(_("diajukan"))
    answer = models.TextField(_("jawaban penyelenggara"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    objects = OrganisationScopedManager("announcement__round__competition__organisation_id")

    class Meta:
        ordering = ["announcement", "created_at", "id"]
        verbose_name = _("sanggahan")
        verbose_name_plural = _("sanggahan")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="objection_has_reason"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="objection_answer_has_text"
            ),
        ]

    def __str__(self):
        return f"{self.announcement} · {self.entry_id} · {self.name}"


class PublicProfile(models.Model):
    """What the innovators of an entry agree to show on its public innovation record."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="public_profile")
    show_contacts = models.BooleanField(_("tampilkan kontak tim untuk replikasi"), default=False)
    show_photos = models.BooleanField(_("tampilkan foto"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil publik")
        verbose_name_plural = _("profil publik")

    def __str__(self):
        return f"{self.entry_id}"
