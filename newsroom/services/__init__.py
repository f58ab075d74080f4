"""Writes with side effects, as named keyword-only functions used by the admin and the commands.

- ``workflow``: submit, return from review, publish (now or planned), take down, plan a take-down;
- ``importing``: an explainer in the text format written as one new article;
- ``restore``: an earlier revision written back as a new revision;
- ``corrections``: proposed changes to live articles, applied or rejected by the duty editor.

Callers import from here: ``from newsroom.services import article_publish``.
"""

from newsroom.services.corrections import correction_apply, correction_propose, correction_reject, may_propose
from newsroom.services.importing import DuplicateArticleError, ImportResult, article_import, paragraphs_to_html
from newsroom.services.restore import RestoreError, article_restore
from newsroom.services.workflow import (
    article_publish,
    article_return,
    article_schedule_unpublish,
    article_submit,
    article_transitions,
    article_unpublish,
)

__all__ = [
    "correction_apply",
    "correction_propose",
    "correction_reject",
    "may_propose",
    "DuplicateArticleError",
    "ImportResult",
    "RestoreError",
    "article_import",
    "article_publish",
    "article_restore",
    "article_return",
    "article_schedule_unpublish",
    "article_submit",
    "article_transitions",
    "article_unpublish",
    "paragraphs_to_html",
]
