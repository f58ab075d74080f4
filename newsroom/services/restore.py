"""Restoring an earlier revision of an article as a new revision; status and scheduling stay."""

from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from faq.models import FAQItem
from newsroom.models import WORKFLOW_FIELDS, Article
from newsroom.revisions import (
    CHILD_MODELS,
    add_article_to_revision,
    record_revision,
    revision_children,
    revision_label,
)

# Restoring brings back content, not the workflow (WORKFLOW_FIELDS) nor who created the
# article. Otherwise restoring an old published revision would put a draft online, or take
# a live article down, past the roles that decide publication.
KEPT_FIELDS = (*WORKFLOW_FIELDS, "created_at", "created_by")


class RestoreError(Exception):
    """The revision cannot be restored; the message says why, in German."""


def _missing_references(versions):
    """German descriptions of objects a version points at that no longer exist (a deleted clip)."""
    wanted = {}
    for version in versions:
        for model_field in version.content_type.model_class()._meta.concrete_fields:
            if not model_field.is_relation or model_field.name in ("article", *KEPT_FIELDS, "updated_by"):
                continue
            value = version.field_dict.get(model_field.attname)
            if value is not None:
                wanted.setdefault(model_field.related_model, set()).add(value)
    missing = []
    for model, pks in wanted.items():
        existing = set(model._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
        missing += [f"{model._meta.verbose_name} Nr. {pk}" for pk in sorted(pks - existing)]
    return missing


@transaction.atomic
def article_restore(*, article, version, user=None):
    """Write the content of ``version`` (one of the article's versions) back as a new revision.

    FAQ items, liveblog placements and broadcast mentions added after that revision are
    removed, removed ones come back with their ids, and every anchor is unique at every step.
    Status and scheduling stay as they are (``KEPT_FIELDS``). Restoring is a revision
    like any other, so it can be undone by restoring the revision before it.
    """
    current = Article.objects.select_for_update().get(pk=article.pk)
    children = revision_children(version.revision, current.pk)
    missing = _missing_references([version, *(child for versions in children.values() for child in versions)])
    if missing:
        raise RestoreError(
            "Diese Fassung lässt sich nicht wiederherstellen, weil es Folgendes nicht mehr gibt: "
            + ", ".join(missing)
            + "."
        )
    comment = f"{revision_label(version.revision)} wiederhergestellt"
    restored = content_write(
        current=current,
        article_fields=version.field_dict,
        children={relation: [child.field_dict for child in children[relation]] for relation in CHILD_MODELS},
        user=user,
        comment=comment,
    )
    return restored


def content_write(*, current, article_fields, children, user, comment):
    """Write a content state over ``current`` (locked by the caller) as one new revision.

    ``article_fields`` and each child's fields are field dicts (attnames); children without an
    ``id`` are added, present ones are written back with their ids, the others removed. Every
    anchor is unique at every step; ``KEPT_FIELDS`` stay as they are.
    """
    with record_revision(user=user, comment=comment):
        for relation, model in CHILD_MODELS.items():
            keep = [int(child["id"]) for child in children[relation] if child.get("id") is not None]
            model._default_manager.filter(article_id=current.pk).exclude(pk__in=keep).delete()
        # Park the surviving questions' anchors on values no slug can take ("~12"), so that
        # written anchors never meet a current one under the one-anchor-per-article constraint.
        FAQItem.objects.filter(article_id=current.pk).update(
            anchor=Concat(models.Value("~"), Cast("pk", models.CharField()))
        )
        written = Article(**{**article_fields, "id": current.pk})
        for name in KEPT_FIELDS:
            setattr(written, name, getattr(current, name))
        written.updated_by = user if user is not None and user.is_authenticated else current.updated_by
        written.save()
        for relation, model in CHILD_MODELS.items():
            for fields in children[relation]:
                # A normal save: auto_now stamps updated_at, so pages and caches see the change.
                model(**{**fields, "article_id": current.pk}).save()
        add_article_to_revision(written)
    return written
