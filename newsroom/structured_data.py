"""schema.org JSON-LD for the explainer page: NewsArticle, FAQPage, VideoObject per clip, BreadcrumbList.

Pure functions over an article loaded with ``Article.objects.published().for_page()``: they
read only what that queryset prefetched, so the page's query count does not grow with the
number of questions or clips. ``absolute`` turns a site path into an absolute URL (the
page passes ``newsroom.security.origin.absolute_url``).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse

from newsroom.dates import iso_datetime

HEADLINE_MAX_LENGTH = 110  # Google's limit for NewsArticle.headline
LOGO_PATH = "img/logo.png"
LOGO_SIZE = (512, 512)

# Characters that could end the <script> element or start markup inside it; the same
# escapes as django.utils.html.json_script, so editor text can never close the element.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def headline(article):
    """``Topline: Title`` when it fits Google's 110 characters, else the title, shortened at a word."""
    full = f"{article.topline}: {article.title}"
    if len(full) <= HEADLINE_MAX_LENGTH:
        return full
    if len(article.title) <= HEADLINE_MAX_LENGTH:
        return article.title
    cut = article.title[: HEADLINE_MAX_LENGTH - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def date_modified(article):
    """The page's last change (``Article.last_modified``), never before its publication."""
    return max(article.last_modified, article.date_published)


def organization(absolute):
    """The newsroom itself: author and publisher of every article."""
    return {"@type": "Organization", "name": settings.NEWSROOM_SITE_NAME, "url": absolute(reverse("newsroom:home"))}


def publisher(absolute):
    width, height = LOGO_SIZE
    logo = {"@type": "ImageObject", "url": absolute(static(LOGO_PATH)), "width": width, "height": height}
    return {**organization(absolute), "logo": logo}


def _poster_url(clip, absolute):
    return absolute(clip.poster_still.url) if clip is not None and clip.poster else None


def news_article(article, absolute):
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline(article),
        "description": article.teaser,
        "datePublished": iso_datetime(article.date_published),
        "dateModified": iso_datetime(date_modified(article)),
        "author": organization(absolute),
        "publisher": publisher(absolute),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "inLanguage": "de",
        "articleSection": article.kicker,
    }
    # The hero poster is the article's image; without one, the first poster on the page.
    posters = [_poster_url(clip, absolute) for clip in [article.hero_clip, *article.clips()]]
    image = next((poster for poster in posters if poster), None)
    if image:
        data["image"] = [image]
    return data


def faq_page(article, absolute):
    """FAQPage for FAQ-kind articles; the answers are the stored, allow-listed HTML Google accepts."""
    items = list(article.faq_items.all())
    if article.kind != article.Kind.FAQ or not items:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": absolute(article.get_absolute_url()),
        "inLanguage": "de",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in items
        ],
    }


def video_object(clip, absolute):
    """A VideoObject, or None for a clip without a poster (thumbnailUrl is required)."""
    thumbnail = _poster_url(clip, absolute)
    if thumbnail is None:
        return None
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": clip.title,
        "description": clip.description,
        "thumbnailUrl": [thumbnail],
        "uploadDate": iso_datetime(clip.published_at),
        "duration": clip.duration_iso,
        "inLanguage": "de",
    }
    if clip.video_source:
        data["contentUrl"] = absolute(clip.video_source)
    return data


def breadcrumb_list(article, absolute):
    """Startseite › topic › article; the topic level only when the article has one."""
    crumbs = [("Startseite", reverse("newsroom:home"))]
    if article.topic is not None:
        crumbs.append((article.topic.name, article.topic.get_absolute_url()))
    crumbs.append((article.title, article.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def article_structured_data(article, absolute):
    """Every JSON-LD object of the article page, in page order."""
    objects = [news_article(article, absolute), faq_page(article, absolute)]
    objects += [video_object(clip, absolute) for clip in article.clips()]
    objects.append(breadcrumb_list(article, absolute))
    return [data for data in objects if data is not None]


def json_ld_text(data):
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:  # str.replace: far quicker than translate() on long answers
        text = text.replace(character, escape)
    return text
