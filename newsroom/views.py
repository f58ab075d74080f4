"""Public pages: home, the explainer, topic pages, search and the German error pages.

Every public page is a ``public_response`` (``newsroom.caching``): its validators come from a
stamp worked out before any rendering, a matching revalidation is a 304, and a repeat request
is served from the response cache. Listings page by keyset ("Ältere Artikel": the articles
before a given one), never by counting or skipping rows.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.functional import cached_property
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from newsroom.broadcasts import broadcast_note_lines
from newsroom.caching import article_stamp, listing_stamp, public_response, surrogate_keys
from newsroom.models import Article, Topic, load_page
from newsroom.search import clean_query, search_articles

PAGE_SIZE = 20
# Search results are ranked, not a listing: a bounded number of pages.
SEARCH_MAX_PAGES = 10
TOC_MIN_QUESTIONS = 3
BEFORE = "vor"


class ListingPage:
    """One keyset page of a listing: up to ``PAGE_SIZE`` articles, and the article to continue before."""

    def __init__(self, queryset, before=None):
        if before is not None:
            queryset = queryset.filter(publish_at__lte=before.publish_at).exclude(
                publish_at=before.publish_at, id__gte=before.pk
            )
        rows = list(queryset.order_by("-publish_at", "-id")[: PAGE_SIZE + 1])
        self.object_list = rows[:PAGE_SIZE]
        self.next_before = self.object_list[-1].pk if len(rows) > PAGE_SIZE else None
        self.is_first = before is None

    @property
    def has_other_pages(self):
        return self.next_before is not None or not self.is_first


def _before(request):
    """The article a listing continues before (``?vor=<id>``); ``None`` for the first page."""
    raw = request.GET.get(BEFORE, "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return Article.objects.filter(pk=int(raw)).only("pk", "publish_at").first()


def _listing():
    return Article.objects.published().select_related("topic", "hero_clip")


def _clip_keys(articles):
    return [f"clip-{article.hero_clip_id}" for article in articles if article.hero_clip_id]


def _listing_stamp(request, *args, **kwargs):
    return listing_stamp()


@require_safe
@public_response(_listing_stamp)
def home(request):
    page = ListingPage(_listing(), _before(request))
    response = render(request, "newsroom/home.html", {"page": page})
    surrogate_keys(response, *_clip_keys(page.object_list))
    return response


def _article_stamp(request, slug, pk):
    return article_stamp(pk)


@require_safe
@public_response(_article_stamp)
def article_detail(request, slug, pk):
    stamp = request.stamp
    if stamp is None:
        raise Http404("Diesen Artikel gibt es nicht.")
    if slug != stamp.slug:
        return redirect("newsroom:article", slug=stamp.slug, pk=stamp.pk, permanent=True)
    article = load_page(stamp.pk)
    if article is None:  # taken down between the stamp and now
        raise Http404("Diesen Artikel gibt es nicht.")
    response = render(request, "newsroom/article_detail.html", article_page_context(article))
    surrogate_keys(response, *page_keys(article))
    return response


def page_keys(article):
    """The surrogate keys of what an article page shows besides the article: its clips and liveblog cards."""
    keys = [f"clip-{clip.pk}" for clip in article.clips()]
    keys += [f"liveblog-{placement.liveblog_link_id}" for placement in article.liveblog_placements.all()]
    return keys


def article_page_context(article):
    """What the explainer template needs, for an article loaded with ``for_page()``.

    Shared with the preview (newsroom.preview), so a preview shows exactly the page readers get.
    """
    items = article.faq_items.all()
    return {
        "article": article,
        "stand": article.last_modified,
        "toc": items if article.kind == Article.Kind.FAQ and len(items) >= TOC_MIN_QUESTIONS else None,
        "broadcast_lines": broadcast_note_lines(article),
    }


def _topic_stamp(request, slug):
    return listing_stamp(f"topic:{slug}")


@require_safe
@public_response(_topic_stamp)
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.with_published_articles(), slug=slug)
    page = ListingPage(_listing().filter(topic=topic), _before(request))
    response = render(request, "newsroom/topic_detail.html", {"topic": topic, "page": page})
    surrogate_keys(response, f"topic-{topic.pk}", *_clip_keys(page.object_list))
    return response


def _search_stamp(request):
    return listing_stamp("search", content=True)


class BoundedPaginator(Paginator):
    """Ranked search results: all of them counted, but only the first ``SEARCH_MAX_PAGES`` pages offered."""

    @cached_property
    def num_pages(self):
        return min(super().num_pages, SEARCH_MAX_PAGES)


@require_safe
@public_response(_search_stamp)
def search(request):
    query = clean_query(request.GET.get("q"))
    page = BoundedPaginator(search_articles(query), PAGE_SIZE).get_page(request.GET.get("seite")) if query else None
    shown = SEARCH_MAX_PAGES * PAGE_SIZE
    context = {"query": query, "page": page, "more_than_shown": bool(page and page.paginator.count > shown)}
    return render(request, "newsroom/search.html", {**context, "shown": shown})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors here: the page must render even when they are what broke.
    return HttpResponseServerError(loader.get_template("500.html").render())
