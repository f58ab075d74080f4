"""Public pages: home, the explainer, topic pages and the German error pages."""

from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from newsroom.broadcasts import broadcast_sentence
from newsroom.models import Article, Topic

PAGE_SIZE = 20


def _listing():
    return Article.objects.published().select_related("topic", "hero_clip")


def home(request):
    page = Paginator(_listing(), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "newsroom/home.html", {"page": page})


def article_detail(request, slug, pk):
    article = get_object_or_404(Article.objects.published().for_page(), pk=pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(
        request,
        "newsroom/article_detail.html",
        {
            "article": article,
            "broadcast_sentence": broadcast_sentence(article.broadcast_mentions.all()),
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    page = Paginator(_listing().filter(topic=topic), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "newsroom/topic_detail.html", {"topic": topic, "page": page})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors here: the page must render even when they are what broke.
    return HttpResponseServerError(loader.get_template("500.html").render())
