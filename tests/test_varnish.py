"""A real varnishd in front of gunicorn on loopback: hits, purges on edit and take-down, scheduling on time.

The test site has its own SQLite file (``tests.servers.Site``); its writes run in
``manage.py shell`` like an editor's save, and purge Varnish through ``NEWSROOM_VARNISH_URLS``.
"""

import json
import time

import pytest

from tests.servers import Site, fetch, free_port, varnish, wait_until

TITLE_OF_DEMO = 'Wie die "Koalition der Willigen" einen Frieden in der Ukraine absichern will'

ARTICLE_URL = """
from newsroom.models import Article
print(Article.objects.published().get(title__startswith="Wie die").get_absolute_url())
"""

EDIT = """
from newsroom.models import Article
article = Article.objects.get(title__startswith="Wie die")
article.title = "Wie der Gipfel in Paris ausging"
article.save()
"""

PUBLISH_ANOTHER = """
import json
from django.utils import timezone
from newsroom.models import Article
from newsroom.services import article_publish
article = Article.objects.create(topline="Bahn", title={title!r}, slug="bahn-{slug}", teaser="Ein Teaser.")
at = timezone.now() + timezone.timedelta(seconds={seconds}) if {seconds} else None
article_publish(article=article, user=None, at=at)
print(json.dumps({{"url": article.get_absolute_url(), "pk": article.pk, "at": article.publish_at.timestamp()}}))
"""

TAKE_DOWN = """
from newsroom.models import Article
from newsroom.services import article_unpublish
article_unpublish(article=Article.objects.get(pk={pk}), user=None)
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("varnish")
    varnish_port, backend_port = free_port(), free_port()
    site = Site(folder, NEWSROOM_VARNISH_URLS=f"http://127.0.0.1:{varnish_port}")
    site.prepare()
    site.manage("load_demo")
    backend = site.gunicorn(backend_port)
    cache = varnish(folder, port=varnish_port, backend_port=backend_port)
    try:
        yield site, f"http://127.0.0.1:{varnish_port}"
    finally:
        cache.stop()
        backend.stop()


def warm(url):
    """Fetch until Varnish answers from its cache; returns that answer."""
    return wait_until(
        lambda: (answer := fetch(url))[1].get("X-Cache") == "HIT" and answer, timeout=5, what=f"a cache hit for {url}"
    )


def publish(site, title, slug, seconds=0):
    return json.loads(site.python(PUBLISH_ANOTHER.format(title=title, slug=slug, seconds=seconds)))


def test_a_repeat_request_is_served_by_varnish(stack):
    site, front = stack
    url = front + site.python(ARTICLE_URL)
    first = fetch(url)
    assert first[0] == 200 and first[1]["X-Cache"] == "MISS"
    second = warm(url)
    assert second[2] == first[2]
    assert "xkey" not in {name.lower() for name in second[1]}  # surrogate keys stay inside the cache
    assert "s-maxage=300" in second[1]["Cache-Control"]


def test_an_edit_of_a_live_article_is_visible_through_varnish_within_a_second(stack):
    site, front = stack
    url = front + site.python(ARTICLE_URL)
    assert TITLE_OF_DEMO.replace('"', "&quot;") in warm(url)[2].decode()
    warm(front + "/")
    site.python(EDIT)
    edited = time.monotonic()
    wait_until(
        lambda: "Wie der Gipfel in Paris ausging" in fetch(url)[2].decode(), timeout=1, what="the edit on the page"
    )
    wait_until(lambda: "Wie der Gipfel in Paris ausging" in fetch(front + "/")[2].decode(), timeout=1, what="on home")
    assert time.monotonic() - edited < 1.5


def test_a_take_down_is_gone_through_varnish_within_a_second(stack):
    site, front = stack
    article = publish(site, "Streik bei der Bahn beendet", "streik")
    url = front + article["url"]
    warm(url)
    assert "Streik bei der Bahn beendet" in warm(front + "/")[2].decode()
    site.python(TAKE_DOWN.format(pk=article["pk"]))
    taken_down = time.monotonic()
    wait_until(lambda: fetch(url)[0] == 404, timeout=1, what="the 404 after the take-down")
    wait_until(lambda: "Streik bei der Bahn beendet" not in fetch(front + "/")[2].decode(), timeout=1, what="gone")
    assert time.monotonic() - taken_down < 1.5


def test_a_scheduled_article_appears_through_varnish_on_time(stack):
    site, front = stack
    article = publish(site, "Neuer Fahrplan ab Sonntag", "fahrplan", seconds=6)
    home = warm(front + "/")
    assert "Neuer Fahrplan ab Sonntag" not in home[2].decode()
    # Varnish keeps the home page only until the planned go-live (s-maxage ends there).
    assert "s-maxage=" in home[1]["Cache-Control"]
    assert int(home[1]["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 6
    assert fetch(front + article["url"])[0] == 404
    wait_until(lambda: time.time() >= article["at"], timeout=10, interval=0.02, what="the go-live time")
    wait_until(
        lambda: "Neuer Fahrplan ab Sonntag" in fetch(front + "/")[2].decode(), timeout=1.5, what="the article on home"
    )
    wait_until(lambda: fetch(front + article["url"])[0] == 200, timeout=1.5, what="the article page")
