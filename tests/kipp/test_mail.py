"""kipp/mail.py is the one place that builds and sends an email."""

import ast
import pathlib

import pytest
from django.core import mail

from kipp.mail import send_templated_mails, templated_message
from tests.outbox import sent_mail

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_many_messages_go_out_over_one_connection_each_in_its_language(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    context = {"objection": {"name": "Warga", "announcement": {"number": "065/134/II/B"}}, "url": "x"}
    messages = [
        templated_message(
            to=to, template="judging/publication/email/objection_answered", context=context, language=lang
        )
        for to, lang in (("a@example.org", "id"), ("b@example.org", "en"))
    ]
    assert send_templated_mails(messages) == 2
    assert mail.outbox == []  # queued: the worker sends them (kipp.outbox)
    assert [(m.to, m.subject) for m in sent_mail()] == [
        (["a@example.org"], "Jawaban atas sanggahan Anda: 065/134/II/B"),
        (["b@example.org"], "Answer to your objection: 065/134/II/B"),
    ]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    assert send_templated_mails([]) == 0


def test_no_other_module_of_kipp_entries_publication_or_records_touches_django_mail():
    found = []
    for folder in ("kipp", "entries", "judging/publication", "judging/records"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "kipp" / "mail.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in getattr(node, "names", [])] if isinstance(node, ast.Import) else []
                found += [(str(path.relative_to(ROOT)), n) for n in names if n.startswith("django.core.mail")]
    assert found == []
