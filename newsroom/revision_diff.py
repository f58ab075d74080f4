"""A side-by-side comparison of two article snapshots: article fields, then question by question.

Pure presentation: takes two ``ArticleSnapshot`` objects (``newsroom.revisions``), returns rows
whose two sides are escaped HTML with ``<del>``/``<ins>`` around what changed (``difflib``).
Editors' markup is shown as text, never rendered.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from faq.models import FAQItem
from media_clips.models import VideoClip
from newsroom.dates import format_clock, format_date, format_timestamp
from newsroom.models import Article, ArticleLiveblogLink, BroadcastMention, LiveblogLink, Topic

# A tag, a run of whitespace, a word (with its punctuation), or a lone "<".
_TOKENS = re.compile(r"<[^>]*>|\s+|[^\s<]+|<")

ARTICLE_TEXT_FIELDS = ("topline", "title", "slug", "teaser", "intro", "source")


# Display only: a line break after each paragraph, list item and <br>, so rich text reads
# paragraph by paragraph. Both sides get the same treatment, so the diff is unaffected.
_BLOCK_END = re.compile(r"(</p>|</li>|</ul>|</ol>|<br\s*/?>)(?!\n|$)")


def _tokens(text):
    return _TOKENS.findall(_BLOCK_END.sub("\\1\n", text))


def _wrap(tag, tokens):
    text = escape("".join(tokens))
    return f"<{tag}>{text}</{tag}>" if text else ""


def _merged(opcodes, old_tokens):
    """Opcodes with a lone space between two changes folded into them: one ``<del>`` per phrase, not per word."""
    merged = []
    for opcode in opcodes:
        if merged and opcode[0] != "equal" and len(merged) >= 2 and merged[-2][0] != "equal":
            between = merged[-1]
            if between[0] == "equal" and "".join(old_tokens[between[1] : between[2]]).isspace():
                first = merged[-2]
                merged[-2:] = [("replace", first[1], opcode[2], first[3], opcode[4])]
                continue
        merged.append(opcode)
    return merged


def diff_text(old, new):
    """``(old_html, new_html)``: both texts escaped, removed words in ``<del>``, added ones in ``<ins>``."""
    old, new = old or "", new or ""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    left, right = [], []
    for operation, old_start, old_end, new_start, new_end in _merged(matcher.get_opcodes(), old_tokens):
        old_part, new_part = old_tokens[old_start:old_end], new_tokens[new_start:new_end]
        if operation == "equal":
            left.append(escape("".join(old_part)))
            right.append(escape("".join(new_part)))
        else:
            left.append(_wrap("del", old_part))
            right.append(_wrap("ins", new_part))
    # Safe: every piece was escaped above.
    return mark_safe("".join(left)), mark_safe("".join(right))


def diff_value(old, new):
    """Like ``diff_text`` for values that change as a whole (a status, a clip, a date)."""
    old, new = old or "", new or ""
    if old == new:
        return escape(old), escape(new)
    return mark_safe(_wrap("del", [old])), mark_safe(_wrap("ins", [new]))  # escaped in _wrap


@dataclass
class Row:
    label: str
    old: str
    new: str
    changed: bool


def text_row(label, old, new):
    left, right = diff_text(old, new)
    return Row(label, left, right, (old or "") != (new or ""))


def value_row(label, old, new):
    left, right = diff_value(old, new)
    return Row(label, left, right, (old or "") != (new or ""))


@dataclass
class ItemComparison:
    """One FAQ item (or placement, or mention) in both snapshots; ``old`` or ``new`` may be missing."""

    title: str
    state: str  # "neu", "entfernt", "geändert", "unverändert"
    rows: list = field(default_factory=list)

    @property
    def changed(self):
        return self.state != "unverändert"


class _Labels:
    """Display names of the clips, topics and liveblog cards both snapshots point at, in three queries."""

    def __init__(self, snapshots):
        clip_ids, topic_ids, link_ids = set(), set(), set()
        for snapshot in snapshots:
            clip_ids |= {snapshot.article.hero_clip_id, snapshot.article.intro_clip_id}
            clip_ids |= {item.clip_id for item in snapshot.faq_items}
            topic_ids.add(snapshot.article.topic_id)
            link_ids |= {placement.liveblog_link_id for placement in snapshot.liveblog_placements}
        self.clips = VideoClip.objects.in_bulk(clip_ids - {None})
        self.topics = Topic.objects.in_bulk(topic_ids - {None})
        self.links = LiveblogLink.objects.in_bulk(link_ids - {None})

    @staticmethod
    def _label(objects, pk, kind):
        if pk is None:
            return ""
        obj = objects.get(pk)
        return str(obj) if obj is not None else f"{kind} Nr. {pk} (gelöscht)"

    def clip(self, pk):
        return self._label(self.clips, pk, "Videoclip")

    def topic(self, pk):
        return self._label(self.topics, pk, "Thema")

    def link(self, pk):
        return self._label(self.links, pk, "Liveblog-Link")


def _verbose(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _timestamp(value):
    return format_timestamp(value) if value else ""


def _article_rows(old, new, labels):
    def text(name):
        return text_row(_verbose(Article, name), getattr(old, name), getattr(new, name))

    return [
        value_row(_verbose(Article, "kind"), old.get_kind_display(), new.get_kind_display()),
        text("topline"),
        text("title"),
        text("slug"),
        text("teaser"),
        value_row(_verbose(Article, "hero_clip"), labels.clip(old.hero_clip_id), labels.clip(new.hero_clip_id)),
        text("intro"),
        value_row(_verbose(Article, "intro_clip"), labels.clip(old.intro_clip_id), labels.clip(new.intro_clip_id)),
        value_row(_verbose(Article, "topic"), labels.topic(old.topic_id), labels.topic(new.topic_id)),
        text("source"),
        value_row(_verbose(Article, "status"), old.get_status_display(), new.get_status_display()),
        value_row(_verbose(Article, "publish_at"), _timestamp(old.publish_at), _timestamp(new.publish_at)),
        value_row(_verbose(Article, "unpublish_at"), _timestamp(old.unpublish_at), _timestamp(new.unpublish_at)),
    ]


def _pair(old_items, new_items, keys):
    """Match items of two lists: by id first, then by each further key; the rest are added or removed.

    Returns ``(old, new)`` pairs in the new order, each removed item after its old predecessor.
    """
    pairs = {}  # new index -> old item
    unmatched_old = list(old_items)
    for key in ("pk", *keys):
        for new_index, new_item in enumerate(new_items):
            if new_index in pairs:
                continue
            value = getattr(new_item, key)
            match = next((item for item in unmatched_old if value and getattr(item, key) == value), None)
            if match is not None:
                pairs[new_index] = match
                unmatched_old.remove(match)
    ordered = [(new_index, 0, pairs.get(new_index), new_item) for new_index, new_item in enumerate(new_items)]
    old_positions = {id(item): index for index, item in enumerate(old_items)}
    new_index_of_old = {id(old): new_index for new_index, old in pairs.items()}
    for item in unmatched_old:
        # After the nearest earlier old item that still exists; at the top if there is none.
        predecessor = -1
        for earlier in reversed(old_items[: old_positions[id(item)]]):
            if id(earlier) in new_index_of_old:
                predecessor = new_index_of_old[id(earlier)]
                break
        ordered.append((predecessor, 1 + old_positions[id(item)], item, None))
    ordered.sort(key=lambda entry: (entry[0], entry[1]))
    return [(old, new) for _, _, old, new in ordered]


def _item(title_of, rows_of, old, new):
    rows = rows_of(old, new)
    if old is None:
        state = "neu"
    elif new is None:
        state = "entfernt"
    else:
        state = "geändert" if any(row.changed for row in rows) else "unverändert"
    return ItemComparison(title=title_of(new or old), state=state, rows=rows)


def _sides(old, new, display):
    """``display`` applied to both sides; a side without the item shows nothing."""
    return (display(old) if old is not None else "", display(new) if new is not None else "")


def _faq_rows(labels):
    def rows(old, new):
        model = FAQItem
        return [
            text_row(_verbose(model, "question"), *_sides(old, new, lambda item: item.question)),
            text_row(_verbose(model, "answer"), *_sides(old, new, lambda item: item.answer)),
            value_row(_verbose(model, "clip"), *_sides(old, new, lambda item: labels.clip(item.clip_id))),
            value_row(_verbose(model, "anchor"), *_sides(old, new, lambda item: item.anchor)),
            value_row(_verbose(model, "position"), *_sides(old, new, lambda item: _number(item.position))),
        ]

    return rows


def _placement_rows(labels):
    def rows(old, new):
        model = ArticleLiveblogLink
        return [
            value_row(
                _verbose(model, "liveblog_link"),
                *_sides(old, new, lambda placement: labels.link(placement.liveblog_link_id)),
            ),
            text_row(_verbose(model, "lead_in"), *_sides(old, new, lambda placement: placement.lead_in)),
            value_row(_verbose(model, "position"), *_sides(old, new, lambda placement: _number(placement.position))),
        ]

    return rows


def _mention_rows(old, new):
    model = BroadcastMention
    return [
        text_row(_verbose(model, "show"), *_sides(old, new, lambda mention: mention.show_name)),
        value_row(_verbose(model, "aired_on"), *_sides(old, new, lambda mention: _date(mention.aired_on))),
        value_row(_verbose(model, "starts_at"), *_sides(old, new, lambda mention: _clock(mention.starts_at))),
        value_row(_verbose(model, "position"), *_sides(old, new, lambda mention: _number(mention.position))),
    ]


def _number(value):
    return "" if value is None else str(value)


def _date(value):
    return format_date(value) if value else ""


def _clock(value):
    return f"{format_clock(value)} Uhr" if value else ""


@dataclass
class Comparison:
    old: object
    new: object
    article_rows: list
    faq_items: list
    liveblog_placements: list
    broadcast_mentions: list

    @property
    def sections(self):
        return [
            ("Fragen und Antworten", self.faq_items, "Keine Fragen."),
            ("Liveblog-Verweise", self.liveblog_placements, "Keine Liveblog-Verweise."),
            ("Sendungshinweise", self.broadcast_mentions, "Keine Sendungshinweise."),
        ]

    @property
    def has_changes(self):
        return any(row.changed for row in self.article_rows) or any(
            item.changed for _, items, _ in self.sections for item in items
        )


def compare(old, new):
    """Compare two snapshots (older on the left, newer on the right)."""
    labels = _Labels((old, new))
    return Comparison(
        old=old,
        new=new,
        article_rows=_article_rows(old.article, new.article, labels),
        faq_items=[
            _item(lambda item: item.question, _faq_rows(labels), a, b)
            for a, b in _pair(old.faq_items, new.faq_items, ("anchor",))
        ],
        liveblog_placements=[
            _item(lambda placement: labels.link(placement.liveblog_link_id), _placement_rows(labels), a, b)
            for a, b in _pair(old.liveblog_placements, new.liveblog_placements, ("liveblog_link_id",))
        ],
        broadcast_mentions=[
            _item(str, _mention_rows, a, b) for a, b in _pair(old.broadcast_mentions, new.broadcast_mentions, ("show",))
        ],
    )
