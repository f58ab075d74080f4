"""Public pages: home, the explainer, topic pages, search and the German error pages."""

from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import conditional_page

from newsroom.broadcasts import broadcast_note_lines
from newsroom.models import Article, Topic
from newsroom.search import clean_query, search_articles

PAGE_SIZE = 20
TOC_MIN_QUESTIONS = 3

# Readers' browsers revalidate after a minute; a CDN keeps pages for five and may serve
# a stale copy for ten more while it fetches a fresh one. ETags (from the content) and
# Last-Modified make revalidation a cheap 304.
public_page = cache_control(public=True, max_age=60, s_maxage=300, stale_while_revalidate=600)


def with_last_modified(response, stamp):
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp.timestamp())
    return response


def _listing():
    return Article.objects.published().select_related("topic", "hero_clip")


@conditional_page
@public_page
def home(request):
    page = Paginator(_listing(), PAGE_SIZE).get_page(request.GET.get("seite"))
    response = render(request, "newsroom/home.html", {"page": page})
    return with_last_modified(response, Article.objects.last_visibility_change())


@conditional_page
@public_page
def article_detail(request, slug, pk):
    article = get_object_or_404(Article.objects.published().for_page(), pk=pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    response = render(request, "newsroom/article_detail.html", article_page_context(article))
    return with_last_modified(response, article.page_last_modified)


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


@conditional_page
@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.with_published_articles(), slug=slug)
    page = Paginator(_listing().filter(topic=topic), PAGE_SIZE).get_page(request.GET.get("seite"))
    response = render(request, "newsroom/topic_detail.html", {"topic": topic, "page": page})
    stamps = [Article.objects.filter(topic=topic).last_visibility_change(), topic.updated_at]
    return with_last_modified(response, max(stamp for stamp in stamps if stamp))


@conditional_page
@public_page
def search(request):
    query = clean_query(request.GET.get("q"))
    page = Paginator(search_articles(query), PAGE_SIZE).get_page(request.GET.get("seite")) if query else None
    return render(request, "newsroom/search.html", {"query": query, "page": page})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors here: the page must render even when they are what broke.
    return HttpResponseServerError(loader.get_template("500.html").render())
