"""One database's side of ``make bench-scale``: every surface's queries and latency, printed as JSON.

Run by ``bench.scale`` with ``DATABASE_URL`` pointing at a database it filled. Requests go
through Django's test client in this process with the response cache off, so each figure is
what rendering a surface costs, not what repeating it costs.
"""

import base64
import datetime as dt
import json
import os
import statistics
import sys
import time
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["NEWSROOM_RESPONSE_CACHE"] = "0"
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 (after django.setup)
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from newsroom.models import Article, Partner, PartnerAPIKey, Topic  # noqa: E402
from newsroom.search import matching  # noqa: E402
from newsroom.sitemaps import ArticleSitemap  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "25"))
# Two words: a theme and a word of almost every article, so both sizes fill a first page.
SEARCH = "Energie Jahr"


def cursor(position):
    return base64.b64encode(urlencode({"p": str(position)}).encode()).decode()


def surfaces():
    published = Article.objects.published()
    count = published.count()
    demo = published.filter(title__startswith="Wie die").first() or published.first()
    oldest_page_before = published.order_by("publish_at", "id").values_list("pk", flat=True)[20]
    deep = published.order_by("-publish_at", "-id").values_list("publish_at", flat=True)[int(count * 0.9)]
    topic = Topic.objects.with_published_articles().annotate(size=Count("articles")).order_by("-size", "name").first()
    last_sitemap_page = ArticleSitemap.page_count(ArticleSitemap.bounds())
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    admin_article = demo
    return {
        "article page": ("reader", demo.get_absolute_url()),
        "home": ("reader", "/"),
        "home, oldest page": ("reader", f"/?vor={oldest_page_before}"),
        "topic page": ("reader", topic.get_absolute_url()),
        "search, two words": ("reader", "/suche/?" + urlencode({"q": SEARCH})),
        "feed RSS": ("reader", "/feeds/rss/"),
        "feed Atom": ("reader", "/feeds/atom/"),
        "topic feed": ("reader", f"{topic.get_absolute_url()}feed/"),
        "sitemap index": ("reader", "/sitemap.xml"),
        "sitemap pages": ("reader", "/sitemap-seiten.xml"),
        "sitemap articles": ("reader", "/sitemap-artikel.xml"),
        "sitemap articles, last page": ("reader", f"/sitemap-artikel.xml?p={last_sitemap_page}"),
        "sitemap topics": ("reader", "/sitemap-themen.xml"),
        "sitemap news": ("reader", "/sitemap-news.xml"),
        "API list": ("partner", "/api/v1/articles/"),
        "API list, deep cursor": ("partner", f"/api/v1/articles/?cursor={cursor(deep)}"),
        "API updated_since": ("partner", "/api/v1/articles/?" + urlencode({"updated_since": since})),
        "API detail": ("partner", f"/api/v1/articles/{demo.pk}/"),
        "API ninjs": ("partner", f"/api/v1/articles/{demo.pk}/ninjs/"),
        "admin list": ("editor", "/admin/newsroom/article/"),
        "admin list, search": ("editor", "/admin/newsroom/article/?" + urlencode({"q": SEARCH})),
        # Searches and filters that fill the page at both sizes, so that the archive's size is what
        # differs (an admin row costs about a millisecond).
        "admin list, filter": ("editor", "/admin/newsroom/article/?kind__exact=faq"),
        "admin list, filter drafts": ("editor", "/admin/newsroom/article/?status__exact=draft"),
        "admin change form": ("editor", f"/admin/newsroom/article/{admin_article.pk}/change/"),
    }


def clients():
    reader = Client()
    editor = Client()
    user, _ = get_user_model().objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    if not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    editor.force_login(user)
    partner, _ = Partner.objects.get_or_create(name="Benchmark", defaults={"contact_email": "bench@example.org"})
    key = PartnerAPIKey.objects.create_key(partner=partner, name="bench")[1]
    partner_client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return {"reader": reader, "editor": editor, "partner": partner_client}


def measure(client, path):
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Read at once: a reconnect between requests empties the connection's query log.
    queries = [(float(query["time"]) * 1000, query["sql"][:160]) for query in captured.captured_queries]
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries),
        "ms": statistics.median(timings),
        "p90": sorted(timings)[int(RUNS * 0.9) - 1],
        "slowest": sorted(queries, reverse=True)[:2],
    }


def search_plan():
    if connection.vendor != "postgresql":
        return ""
    sql, params = matching(Article.objects.published(), SEARCH).query.sql_with_params()
    with connection.cursor() as cursor_:
        cursor_.execute(f"EXPLAIN {sql}", params)
        # Long lines (the plan spells out id arrays) shortened to what a reader takes in.
        return "\n".join(row[0] if len(row[0]) <= 160 else row[0][:157] + "…" for row in cursor_.fetchall())


def main():
    by_role = clients()
    results = {"articles": Article.objects.count(), "published": Article.objects.published().count(), "surfaces": {}}
    for name, (role, path) in surfaces().items():
        results["surfaces"][name] = {"path": path, **measure(by_role[role], path)}
    results["search_plan"] = search_plan()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
