import re
import unicodedata

_WORD = re.compile(r"\S+")


def count_words(text):
    """Words are runs of non-whitespace characters; static/js/kipp.js counts the same way."""
    return len(_WORD.findall(text or ""))


# Letters and symbols that render as nothing (Hangul fillers, the braille blank, the combining grapheme joiner).
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")


def has_visible_text(text):
    """Whether `text` has a character a reader can see. Spaces, line breaks, control and format characters (a
    zero-width space, a no-break space, a direction mark), lone combining marks and letters that render blank
    (a Hangul filler) are no text: a required reason made of them is refused."""
    return any(
        not ch.isspace() and ch not in _BLANK_LOOKALIKES and unicodedata.category(ch)[0] not in ("C", "Z", "M")
        for ch in text or ""
    )
