"""The text of a PDF someone uploads to the "check a document" page. Run as a child process by
judging.publication.document_check under a CPU-time and memory limit that it sets on itself before reading anything
(as entries/pdf_check.py does for uploads), so that no file costs the portal more than that. Imports no Django.

    python -m judging.publication.pdf_text CPU_SECONDS MEMORY_MB MAX_CHARS  < file.pdf

prints the text of its pages (at most MAX_CHARS characters) as UTF-8 on standard output, exit status 0; a file that
is not a readable PDF (or is encrypted) exits 2; killed by its limits it prints nothing.
"""

import io
import resource
import sys


def _limit(cpu_seconds, memory_mb):
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    size = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def page_text(data, max_chars):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("encrypted")
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= max_chars:
            break
    return "\n".join(parts)[:max_chars]


def main(argv):
    cpu_seconds, memory_mb, max_chars = (int(value) for value in argv[1:4])
    _limit(cpu_seconds, memory_mb)
    data = sys.stdin.buffer.read()
    try:
        text = page_text(data, max_chars)
    except Exception:  # noqa: BLE001 - any failure to read is "not a readable PDF"
        return 2
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
