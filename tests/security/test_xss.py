"""The XSS corpus: 64 payloads in every editor- and importer-writable text field, loaded in Debian's Chromium.

Written through the ORM (every field of article, questions, clip, liveblog card, placement,
broadcast mention and topic), the admin (the article form) and the importer (the import, and
its error page), then opened as readers and editors see them: article page, preview, home,
topic, search, feeds, the admin change form and the history compare. The browser runs with
the Content-Security-Policy switched off (``bypass_csp``), so escaping and sanitising alone
must hold; the policy is the second wall (tests/security/test_headers.py). Detection: any
dialog, a global flag the payloads set, and every ``javascript:``/``data:``/``vbscript:`` link
or source in the finished DOM. Goal and assertion: 0 of each.
"""

import io
from pathlib import Path

import pytest
import reversion
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Article
from newsroom.preview import preview_token
from newsroom.services import article_import, article_publish
from tests.factories import (
    ArticleFactory,
    ArticleLiveblogLinkFactory,
    BroadcastMentionFactory,
    FAQItemFactory,
    LiveblogLinkFactory,
    TopicFactory,
    VideoClipFactory,
)
from tests.test_editor_journey import PASSWORD, logged_in_page

pytestmark = pytest.mark.django_db(transaction=True)

RUN = "alert(1);window.__xss=1"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f"<svg onload={RUN}>",
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f"</title><script>{RUN}</script>",
    f"</script><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"</style><script>{RUN}</script>",
    f"--></script><script>{RUN}</script>",
    f'<a href="javascript:{RUN}">x</a>',
    f'<a href="JaVaScRiPt:{RUN}">x</a>',
    f'<a href="  javascript:{RUN}">x</a>',
    f'<a href="java&#x09;script:{RUN}">x</a>',
    f'<a href="jav&#x0A;ascript:{RUN}">x</a>',
    f'<a href="&#106;avascript:{RUN}">x</a>',
    f'<a href="&#x6A;avascript:{RUN}">x</a>',
    f"<a href=javascript&colon;{RUN}>x</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    f'<a href="vbscript:{RUN}">x</a>',
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f"<body onload={RUN}>",
    f"<details open ontoggle={RUN}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f"<svg><style><img src=x onerror={RUN}></style></svg>",
    f"<form><button formaction=javascript:{RUN}>x</button></form>",
    f"<input autofocus onfocus={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f'<object data="javascript:{RUN}"></object>',
    f'<embed src="javascript:{RUN}">',
    "<style>@import'javascript:alert(1)'</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    '<base href="javascript:alert(1)//">',
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<<script>{RUN}//<</script>",
    f'<img """><script>{RUN}</script>">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    f'<svg><a xlink:href="javascript:{RUN}"><text>x</text></a></svg>',
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f"<marquee onstart={RUN}>x</marquee>",
    f"<select autofocus onfocus={RUN}></select>",
    f"<x onclick={RUN}>klick</x>",
    f"<p onmouseover={RUN}>hover</p>",
    f'"onmouseover="{RUN}',
    f"' onfocus='{RUN}' autofocus='",
    f"javascript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    f"<!--<script>{RUN}</script>-->",
    f"<![CDATA[<script>{RUN}</script>]]>",
    f"<svg><script>{RUN}</script></svg>",
    f'<math><maction actiontype="statusline" xlink:href="javascript:{RUN}">x</maction></math>',
    f"<template><script>{RUN}</script></template>",
    f'<a href="javascript:void(0)" onclick="{RUN}">x</a>',
    f"\u202e<script>{RUN}</script>\u200b",
    f"＜script＞{RUN}＜/script＞",
]
assert len(PAYLOADS) >= 60

DETECT = """
window.__xss = 0;
window.alert = window.confirm = window.prompt = function () { window.__xss = 1; };
"""
FOUND = """() => ({
  ran: window.__xss || 0,
  links: [...document.querySelectorAll("[href],[src],[action],[formaction],[data],[xlink\\\\:href]")]
    .flatMap((element) => ["href", "src", "action", "formaction", "data", "xlink:href"]
      .map((name) => (element.getAttribute(name) || "").trim().toLowerCase()))
    .filter((value) => /^(javascript|data|vbscript):/.test(value.replace(/[\\s\\u0000-\\u001f]/g, ""))),
})"""


def cut(value, length):
    return value[:length] if length else value


def article_fields(payload):
    """Every text field of an article, each holding ``payload`` (cut to the field's length)."""
    return {
        "topline": cut(payload, 100),
        "title": cut(payload, 200),
        "teaser": payload,
        "intro": f"<p>{payload}</p>",
        "source": cut(payload, 100),
        "broadcast_note": payload,
    }


def hostile_article(payload, topic):
    """One published article with ``payload`` in every writable text field of it and of what it shows."""
    clip = VideoClipFactory(
        title=cut(payload, 200), description=payload, poster_alt=cut(payload, 300), credit=cut(payload, 200)
    )
    article = ArticleFactory(draft=True, topic=topic, hero_clip=clip, **article_fields(payload))
    FAQItemFactory(article=article, clip=clip, question=cut(f"{payload} ?", 300), answer=f"<p>{payload}</p>")
    card = LiveblogLinkFactory(
        topline=cut(payload, 100),
        title=cut(payload, 200),
        teaser=payload,
        image_alt=cut(payload, 300),
        label=cut(payload, 40),
    )
    ArticleLiveblogLinkFactory(article=article, liveblog_link=card, lead_in=cut(payload, 300))
    BroadcastMentionFactory(article=article, show=cut(payload, 100))
    article_publish(article=article, user=None)
    return article


@pytest.fixture
def corpus(live_server):
    call_command("load_demo", stdout=io.StringIO())
    topic = TopicFactory(slug="gipfel", name=cut(PAYLOADS[0], 100), headline=cut(PAYLOADS[1], 200))
    articles = [hostile_article(payload, topic) for payload in PAYLOADS]
    # The history compare: one revision before, one with the payloads.
    compared = articles[0]
    with reversion.create_revision():
        Article.objects.get(pk=compared.pk).save()
    return live_server.url, articles


def _visit(page, url, seen):
    page.goto(url)
    result = page.evaluate(FOUND)
    if result["ran"] or result["links"]:
        seen.append((url, result))


def test_no_payload_runs_or_leaves_a_script_link_on_any_page(browser, corpus, django_user_model):
    base, articles = corpus
    context = browser.new_context(bypass_csp=True, locale="de-DE")
    context.add_init_script(DETECT)
    dialogs = []
    context.on("page", lambda page: page.on("dialog", lambda dialog: (dialogs.append(page.url), dialog.dismiss())))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(page.url), dialog.dismiss()))
    page.set_default_timeout(15_000)
    # The detector itself: an unescaped payload is caught.
    page.goto(base + "/")
    page.set_content(f"<img src=x onerror={RUN}><a href='JavaScript:x'>x</a>")
    page.wait_for_function("window.__xss === 1")
    assert page.evaluate(FOUND)["links"] == ["javascript:x"]
    seen = []
    for article in articles:
        _visit(page, base + article.get_absolute_url(), seen)
        _visit(page, f"{base}/vorschau/{preview_token(article)}/", seen)
    for path in ("/", "/themen/gipfel/", "/suche/?q=alert", f"/suche/?q={PAYLOADS[0]}", "/feeds/rss/", "/feeds/atom/"):
        _visit(page, base + path, seen)
    context.close()

    django_user_model.objects.create_superuser("chefin", password=PASSWORD)
    editor = logged_in_page(browser, base, "chefin")
    editor.context.add_init_script(DETECT)
    editor.on("dialog", lambda dialog: (dialogs.append(editor.url), dialog.dismiss()))
    for article in articles[:20]:
        _visit(editor, base + reverse("admin:newsroom_article_change", args=[article.pk]), seen)
    compared = articles[0]
    from reversion.models import Version

    old, new = Version.objects.get_for_object(compared).order_by("pk")[:2]
    compare = reverse("admin:newsroom_article_revision_compare", args=[compared.pk])
    _visit(editor, f"{base}{compare}?from={old.pk}&to={new.pk}", seen)
    editor.context.close()

    assert dialogs == []
    assert seen == []


SAMPLE = Path(__file__).resolve().parents[2] / "newsroom" / "demo" / "explainer-paris-gipfel.txt"


def test_no_payload_survives_the_importer_or_its_error_page(browser, live_server, django_user_model, admin_user):
    text = SAMPLE.read_text()
    imported = []
    for number, payload in enumerate(PAYLOADS[:16]):
        hostile = text.replace("Worüber wird in Paris beraten?", cut(f"{number} {payload} beraten?", 300)).replace(
            "Die Koalition wird von Frankreich", f"{payload} Die Koalition wird von Frankreich"
        )
        result = article_import(text=hostile, user=admin_user, publish=True, allow_duplicate=True)
        imported.append(result.article)
    django_user_model.objects.create_superuser("chefin", password=PASSWORD)
    editor = logged_in_page(browser, live_server.url, "chefin")
    editor.context.add_init_script(DETECT)
    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(editor.url), dialog.dismiss()))
    seen = []
    for article in imported:
        _visit(editor, live_server.url + article.get_absolute_url(), seen)
    # The error page shows the text it could not read, with the payloads in it.
    editor.goto(live_server.url + reverse("admin:newsroom_article_import"))
    editor.fill("#id_text", "\n".join(PAYLOADS))
    editor.click('input[type=submit][value="Importieren"]')
    editor.wait_for_load_state()
    assert "Zeile" in editor.content()  # the error names the line
    result = editor.evaluate(FOUND)
    if result["ran"] or result["links"]:
        seen.append(("import error page", result))
    editor.context.close()
    assert dialogs == []
    assert seen == []


def test_no_payload_saved_through_the_admin_form_runs_on_the_page(browser, live_server, admin_client):
    from tests.adminforms import admin_form_data

    saved, refused = [], []
    for payload in PAYLOADS:
        article = ArticleFactory(title="Vorher")
        FAQItemFactory(article=article, question="Alte Frage?")
        change = reverse("admin:newsroom_article_change", args=[article.pk])
        form = admin_form_data(admin_client.get(change).content.decode())
        question = next(name for name, value in form.items() if value == "Alte Frage?")
        answer = question.removesuffix("question") + "answer"
        form.update(article_fields(payload), **{question: cut(f"{payload} ?", 300), answer: f"<p>{payload}</p>"})
        response = admin_client.post(change, form)
        if response.status_code == 200:  # refused with its message (a script link in rich text): nothing saved
            assert 'class="errorlist' in response.content.decode(), payload
            assert Article.objects.get(pk=article.pk).title == "Vorher"
            refused.append(payload)
            continue
        assert response.status_code == 302, payload
        saved.append(Article.objects.get(pk=article.pk))
    assert len(saved) >= 40 and all(article.title != "Vorher" for article in saved)
    print(f"admin form: {len(saved)} payloads saved (sanitised), {len(refused)} refused with a message")

    context = browser.new_context(bypass_csp=True, locale="de-DE")
    context.add_init_script(DETECT)
    page = context.new_page()
    dialogs, seen = [], []
    page.on("dialog", lambda dialog: (dialogs.append(page.url), dialog.dismiss()))
    for article in saved:
        _visit(page, live_server.url + article.get_absolute_url(), seen)
    context.close()
    assert dialogs == []
    assert seen == []
