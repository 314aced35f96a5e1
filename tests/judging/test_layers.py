"""The dependency rule inside judging (docs/architecture.md): scoring <- publication <- records. Publication tells
records through a signal; it never imports records, and records never reaches into publication's private names."""

import ast
import pathlib

from judging.publication.signals import announcement_published
from judging.records.receivers import build_records_on_publication

ROOT = pathlib.Path(__file__).resolve().parents[2] / "judging"


def _imports(package):
    """(module file, imported dotted name, imported names) of every import in the package, inline ones too."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                yield path.name, node.module, [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.name, alias.name, []


def test_publication_never_imports_records():
    assert [(f, m) for f, m, _names in _imports("publication") if m.startswith("judging.records")] == []


def test_records_uses_no_private_name_of_publication():
    private = [
        (f, m, n)
        for f, m, names in _imports("records")
        for n in names
        if m.startswith("judging.publication") and n.startswith("_")
    ]
    assert private == []


def test_records_listens_to_publication():
    assert build_records_on_publication in [receiver[1]() for receiver in announcement_published.receivers]
