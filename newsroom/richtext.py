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
