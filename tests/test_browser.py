"""Real-browser tests: a reader's journey, small screens, axe-core and the Nu HTML Checker.

They drive Debian's Chromium (``/usr/bin/chromium``, or ``NEWSROOM_CHROMIUM``) with
Playwright and never download a browser. Without Chromium they fail, never skip:
``make test`` installs it where it can (apt), CI always does.
"""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from newsroom.models import Article
from newsroom.preview import preview_token

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(browser, live_server):
    """The demo content behind a live server."""
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.published().get()
    return live_server.url, article


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def public_paths(article):
    return {
        "Startseite": "/",
        "Artikel": article.get_absolute_url(),
        "Themenseite": article.topic.get_absolute_url(),
        "Suche": "/suche/?q=Paris",
        "Vorschau": f"/vorschau/{preview_token(article)}/",
    }


def test_reader_goes_from_home_to_an_answer_and_reaches_the_liveblog_by_keyboard(site, page):
    base, article = site
    page.goto(base + "/")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(base + article.get_absolute_url())
    assert page.locator("h1").inner_text().replace("\n", "") == f"{article.topline}:{article.title}"

    question = article.faq_items.order_by("position").last()
    page.locator(f'a[href="#{question.anchor}"]').first.click()
    assert page.evaluate("location.hash") == f"#{question.anchor}"
    heading = page.locator(f"h2#{question.anchor}")
    assert heading.inner_text() == question.question
    # The page scrolls smoothly; wait (bounded) until the question is in view.
    page.wait_for_function(
        "id => { const top = document.getElementById(id).getBoundingClientRect().top;"
        " return top >= 0 && top < innerHeight / 2; }",
        arg=question.anchor,
        timeout=5_000,
    )

    # From the top of the page, Tab until the liveblog card has focus (bounded).
    page.goto(base + article.get_absolute_url())
    liveblog_url = article.liveblog_placements.get().liveblog_link.url
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
        if focused == liveblog_url:
            break
    else:
        raise AssertionError("The liveblog card is not reachable with the Tab key")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused liveblog card shows no focus outline"


def test_skip_link_moves_focus_to_the_content(site, page):
    base, article = site
    page.goto(base + article.get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"


@pytest.mark.parametrize("width", [320, 390])
def test_pages_have_no_horizontal_overflow_on_phones(site, browser, width):
    base, article = site
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="de-DE")
    page = context.new_page()
    try:
        for name, path in public_paths(article).items():
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    finally:
        context.close()


def test_axe_finds_no_wcag_violations(site, page):
    from axe_playwright_python.sync_playwright import Axe

    base, article = site
    axe = Axe()
    reports = []
    for name, path in public_paths(article).items():
        page.goto(base + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            reports.append(f"{name} ({path}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)


def test_nu_html_checker_reports_no_errors(site, tmp_path, client):
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (package.json pins vnu-jar).")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML Checker (vnu.jar).")
    _, article = site
    files = []
    for name, path in public_paths(article).items():
        response = client.get(path)
        assert response.status_code == 200, path
        file = tmp_path / f"{len(files)}.html"
        file.write_bytes(response.content)
        files.append((name, file))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *(str(f) for _, f in files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    names = {f"file:{file}": name for name, file in files}
    errors = [
        f"{names.get(m.get('url'), m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
