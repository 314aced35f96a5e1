from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationState(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class NotificationKind(models.TextChoices):
    """Every kind of email the portal sends (shown to organisers on the outbox page)."""

    OUTCOME = "outcome", _("Hasil pengumuman")
    OBJECTION_ANSWER = "objection_answer", _("Jawaban sanggahan")
    ENTRY_SUBMITTED = "entry_submitted", _("Proposal diajukan")
    ENTRY_RETURNED = "entry_returned", _("Proposal dikembalikan")
    ENTRY_FORWARDED = "entry_forwarded", _("Proposal diteruskan")
    ENTRY_DECIDED = "entry_decided", _("Hasil seleksi administrasi")
    ENTRY_WITHDRAWN = "entry_withdrawn", _("Proposal ditarik")
    ENTRY_EXTENDED = "entry_extended", _("Batas waktu diperpanjang")
    ENTRY_NOMINATED = "entry_nominated", _("Proposal diusulkan ke kompetisi di atasnya")
    ROUND_OPENED = "round_opened", _("Babak penilaian dibuka")
    CONFLICT = "conflict", _("Konflik kepentingan")
    SHEET_UNLOCKED = "sheet_unlocked", _("Lembar nilai dibuka kembali")
    DISCUSSION = "discussion", _("Diskusi juri")
    REPLICATION_REQUESTED = "replication_requested", _("Permintaan replikasi")
    REPLICATION_ANSWERED = "replication_answered", _("Jawaban permintaan replikasi")
    REMINDER = "reminder", _("Pengingat")
    SIGNUP = "signup", _("Pendaftaran akun")
    VERIFICATION = "verification", _("Verifikasi email")
    INVITATION = "invitation", _("Undangan")
    MEMBERSHIP = "membership", _("Keanggotaan instansi")
    UNLOCK = "unlock", _("Pembukaan akun terkunci")
    PASSWORD_RESET = "password_reset", _("Atur ulang kata sandi")
    TWO_FACTOR = "two_factor", _("Verifikasi dua langkah")
    OTHER = "other", _("Lainnya")
