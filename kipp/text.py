import re

_WORD = re.compile(r"\S+")


def count_words(text):
    """Words are runs of non-whitespace characters; static/js/kipp.js counts the same way."""
    return len(_WORD.findall(text or ""))
