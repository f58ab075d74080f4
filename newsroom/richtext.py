"""Rich text sanitising: the one allow-list for every piece of editor HTML."""

import html
import re

import nh3
from django.utils.safestring import mark_safe

from newsroom.text import strip_control_characters

ALLOWED_TAGS = {"p", "a", "strong", "em", "ul", "ol", "li", "br"}
# "*": none on every tag (nh3 would otherwise keep lang and title anywhere).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# A browser drops tabs and newlines inside a URL and reads a backslash as a slash, so
# "/\tevil.example" or "/\\evil.example" would leave the site; a link target holds none of them.
_UNSAFE_IN_LINK = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def safe_link(value, schemes=ALLOWED_URL_SCHEMES):
    """``value`` if a page may link to it, else ``""``: a path or #fragment here, or an absolute URL in ``schemes``.

    The one test for every link target outside rich text (liveblog cards, video addresses,
    structured data, the API): ``javascript:``, ``data:``, ``vbscript:`` and their look-alikes,
    protocol-relative and backslash tricks all come out empty.
    """
    if not isinstance(value, str) or not value or _UNSAFE_IN_LINK.search(value):
        return ""
    if value.startswith("#"):
        return value  # a place on the same page
    if value.startswith("/"):
        return "" if value.startswith("//") else value
    scheme, colon, rest = value.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in schemes:
        return ""
    if scheme in {"http", "https"} and not (rest.startswith("//") and len(rest) > 2):
        return ""
    return value


_BLOCK_TAG = re.compile(r"<\s*(p|ul|ol)[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize_html(value):
    """Return ``value`` reduced to the allow-list; plain text becomes paragraphs.

    Editors may type plain text with blank lines between paragraphs; it is wrapped
    in ``<p>`` before cleaning, so the stored value is always block-level HTML.
    """
    if value is None:
        return value
    text = strip_control_characters(str(value)).strip()
    if not text:
        return ""
    if not _BLOCK_TAG.search(text):
        paragraphs = [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]
        text = "".join(f"<p>{part}</p>" for part in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def formatted(value):
    """Rich text as safe markup for a read-only view: cleaned once more, then shown formatted, not as tags."""
    # Safe: reduced to the allow-list right here, whatever wrote the stored value.
    return mark_safe(sanitize_html(value or ""))


_TAG = re.compile(r"<[^>]*>")


def plain_text(value):
    """Sanitised rich text as plain text: tags become spaces (paragraphs stay apart), entities are decoded.

    For search documents and snippets. Runs on stored, allow-listed HTML, where every ``<``
    of the text is escaped, so a tag is always ``<…>``.
    """
    if not value:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())
