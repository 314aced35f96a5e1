"""Reading a page the way its reader does, for assertions that something is *absent*.

A page carries CSRF tokens: 64 random letters and digits. "P2" not in the raw page fails now and then because a
token happens to contain it; read the page through `page_body` instead.
"""

import html
import re

_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def page_body(response) -> str:
    """The page's text with every CSRF token blanked and entities unescaped."""
    text = response.content.decode() if hasattr(response, "content") else response
    return html.unescape(_TOKEN.sub(r'\1"', text))
