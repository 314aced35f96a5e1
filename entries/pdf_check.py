"""Is this PDF safe to keep? Run as a child process by entries.uploads.clean_pdf, under a CPU-time and memory limit
that it sets on itself before reading anything, so that no file can cost the portal more than that, whatever
pypdf makes of it. Imports no Django (a child starts in about 0.1 s).

    python -m entries.pdf_check MAX_OBJECTS MAX_DEPTH CPU_SECONDS MEMORY_MB  < file.pdf

prints one verdict (VERDICTS) on standard output. Killed by its limits, it prints nothing: the caller then treats the
file as too costly to check.

The checks, cheapest first: bytes after the last %%EOF (an object appended that no cross-reference table names,
which a repairing viewer might read) make the file unreadable; a strict parse; an encrypted file is refused; the
trailer's object count against MAX_OBJECTS before any object is read; then every object reachable from the trailer
is walked for active content (find_active_content).
"""

import io
import resource
import sys

CLEAN = "clean"
ACTION = "action"
EMBEDDED = "embedded"
ENCRYPTED = "encrypted"
TOO_COMPLEX = "complex"
BROKEN = "broken"
VERDICTS = {CLEAN, ACTION, EMBEDDED, ENCRYPTED, TOO_COMPLEX, BROKEN}

_END_OF_FILE = b"%%EOF"
# pypdf inflates one compressed stream up to 75 MB by default; an object stream of a few kB could hold millions of
# numbers. A real document's object streams are far smaller than this.
MAX_INFLATED_STREAM = 20 * 1024 * 1024


# Active content in a PDF: what a viewer may run, open, send or extract. Names are compared as pypdf decodes them,
# so "/J#61vaScript" is "/JavaScript". An /OpenAction or /AA that only goes to a page or sets the view is fine,
# and so is a /URI link to a web or mail address (javascript:, vbscript:, data:, file: and \\server links are not).
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMediaExecute",
    "/GoToE",  # goes into an embedded file
    "/GoToR",  # opens another file (a UNC path leaks the reader's credentials)
}
_SCRIPT_URI_SCHEMES = ("javascript:", "vbscript:", "data:", "file:", "\\\\")
_ACTIVE_SUBTYPES = {"/RichMedia": ACTION, "/3D": ACTION, "/FileAttachment": EMBEDDED}
_ACTIVE_KEYS = {
    "/JS": ACTION,  # JavaScript of an action, whatever its /S says
    "/JavaScript": ACTION,  # the document-level JavaScript name tree
    "/XFA": ACTION,  # XFA forms carry their own scripts
    "/RichMediaContent": ACTION,
    "/EmbeddedFiles": EMBEDDED,  # the name tree of embedded files
    "/EF": EMBEDDED,  # a file specification holding the file itself
}
# Links that only chain to the next item of a list (outline siblings, chained actions): following them does not
# nest, so they do not count towards the depth bound.
_SIBLING_KEYS = {"/Next", "/Prev"}


class PdfTooComplex(Exception):  # noqa: N818
    """The PDF has more objects or deeper nesting than the bounds (settings.UPLOAD_PDF_MAX_OBJECTS / _MAX_DEPTH)."""


def _resolved(value):
    from pypdf.generic import IndirectObject

    return value.get_object() if isinstance(value, IndirectObject) else value


def _active_in(node):
    """ACTION or EMBEDDED when this dictionary itself is active content, else None."""
    for key, kind in _ACTIVE_KEYS.items():
        if key in node:
            return kind
    action = _resolved(node.get("/S"))
    if action in _ACTIVE_ACTIONS:
        return ACTION
    if action == "/URI" and _is_script_uri(_resolved(node.get("/URI"))):
        return ACTION
    if _resolved(node.get("/Type")) == "/EmbeddedFile":
        return EMBEDDED
    return _ACTIVE_SUBTYPES.get(_resolved(node.get("/Subtype")))


def _is_script_uri(uri):
    """A /URI link that runs or opens something locally (javascript:, file:, ...) rather than a web address."""
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    text = "".join(ch for ch in str(uri or "") if ch.isprintable() and not ch.isspace()).lower()
    return text.startswith(_SCRIPT_URI_SCHEMES)


def find_active_content(reader, *, max_objects, max_depth):
    """Walk every object reachable from the trailer (the catalog and its /OpenAction, /AA, /Names trees, /Outlines
    with their /First and /Next chains, /AcroForm /Fields and their /Kids, the pages, their annotations and every
    /A and /AA) and return ACTION or EMBEDDED for the first active content met, None when there is none.

    Each indirect object is visited once (a cycle ends there); more than `max_objects` containers or nesting deeper
    than `max_depth` raises PdfTooComplex, so a crafted file is refused instead of keeping the server busy.
    Streams are not decoded: their dictionaries are walked, their data is not needed to find actions."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = set()
    visited = 0
    stack = [(reader.trailer, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            children = [(value, key in _SIBLING_KEYS) for key, value in node.items()]
            found = _active_in(node)
            if found:
                return found
        elif isinstance(node, ArrayObject):
            children = [(value, False) for value in node]
        else:
            continue
        visited += 1
        if visited > max_objects or depth > max_depth:
            raise PdfTooComplex
        stack.extend(
            (child, depth if sibling else depth + 1)
            for child, sibling in children
            if isinstance(child, (IndirectObject, DictionaryObject, ArrayObject))
        )
    return None


def _data_after_the_end(data):
    end = data.rfind(_END_OF_FILE)
    return end < 0 or bool(data[end + len(_END_OF_FILE) :].strip(b" \t\r\n\f\x00"))


def inspect(data, *, max_objects, max_depth):
    """The verdict on `data` (in this process: the caller of a child sets the limits)."""
    from pypdf import PdfReader, overwrite_configuration

    overwrite_configuration(zlib_maximum_output_length=MAX_INFLATED_STREAM)
    if _data_after_the_end(data):
        return BROKEN
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            return ENCRYPTED
        if int(reader.trailer.get("/Size", 0)) > max_objects:
            return TOO_COMPLEX  # the file says how many objects it has: refused before any is read
        if len(reader.pages) < 1:
            return BROKEN
        found = find_active_content(reader, max_objects=max_objects, max_depth=max_depth)
    except PdfTooComplex:
        return TOO_COMPLEX
    except MemoryError:
        return TOO_COMPLEX
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on a broken file
        return BROKEN
    return found or CLEAN


def _limit(cpu_seconds, memory_mb):
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def main(argv):
    max_objects, max_depth, cpu_seconds, memory_mb = (int(value) for value in argv[1:5])
    _limit(cpu_seconds, memory_mb)
    data = sys.stdin.buffer.read()
    sys.stdout.write(inspect(data, max_objects=max_objects, max_depth=max_depth) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
