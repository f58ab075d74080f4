"""Security headers on every page type: a Content-Security-Policy, a Permissions-Policy, COOP same-origin.

Public pages run no inline script at all (``script-src 'self'``, no ``'unsafe-inline'``); the
admin's inline import map carries the request's nonce; the admin and Swagger UI work under it
in Debian's Chromium without a single policy violation.
"""

import io
import re

import pytest
from django.core.management import call_command

from newsroom.models import Article
from newsroom.preview import preview_token
from tests.test_editor_journey import PASSWORD, logged_in_page

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def directives(response):
    policy = response.headers[CSP]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.published().get()


def public_paths(article):
    return [
        "/",
        article.get_absolute_url(),
        article.topic.get_absolute_url(),
        "/suche/?q=Paris",
        f"/vorschau/{preview_token(article)}/",
        "/feeds/rss/",
        "/sitemap.xml",
        "/robots.txt",
        "/gibt-es-nicht/",
        "/api/docs/",
        "/api/schema/",
        "/admin/login/",
    ]


def admin_paths(article):
    return [
        "/admin/",
        "/admin/newsroom/article/",
        "/admin/newsroom/article/add/",
        f"/admin/newsroom/article/{article.pk}/change/",
        f"/admin/newsroom/article/{article.pk}/history/",
        "/admin/newsroom/article/import/",
        "/admin/media_clips/videoclip/",
    ]


def assert_common_headers(response, path):
    assert response.headers["Permissions-Policy"].startswith("camera=()"), path
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path
    policy = directives(response)
    assert policy["default-src"] == ["'self'"], path
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], path
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], path
    return policy


def test_every_public_page_has_a_strict_policy(client, demo):
    for path in public_paths(demo):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = assert_common_headers(response, path)
        if not path.startswith(("/api/docs/", "/admin/")):
            assert policy["script-src"] == ["'self'"], path  # no inline script, no nonce needed
            assert policy["style-src"] == ["'self'"], path


def test_the_partner_api_answers_carry_the_headers_too(api, demo):
    for path in ("/api/v1/articles/", f"/api/v1/articles/{demo.pk}/ninjs/"):
        response = api.get(path)
        assert response.status_code == 200
        assert_common_headers(response, path)


def test_every_admin_page_has_the_policy_and_its_inline_import_map_the_nonce(admin_client, demo):
    for path in admin_paths(demo):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        policy = assert_common_headers(response, path)
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        nonces = [source.removeprefix("'nonce-").rstrip("'") for source in policy["script-src"] if "nonce-" in source]
        for attributes in inline:
            assert nonces and f'nonce="{nonces[0]}"' in attributes, (path, attributes)
    change_form = admin_client.get(f"/admin/newsroom/article/{demo.pk}/change/").content.decode()
    assert '<script type="importmap" nonce="' in change_form


VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__injected = true";
  document.body.append(script);
  return window.__injected === true;
}"""


@pytest.mark.django_db(transaction=True)
def test_pages_admin_and_swagger_work_under_the_policy_in_chromium(browser, live_server, django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    article = Article.objects.published().get()
    django_user_model.objects.create_superuser("chefin", password=PASSWORD)
    base = live_server.url

    context = browser.new_context(locale="de-DE")
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for path in ("/", article.get_absolute_url(), "/suche/?q=Paris"):
        page.goto(base + path)
        assert page.evaluate("window.__violations") == [], path
    # The policy is enforced: a script injected into the article page does not run.
    page.goto(base + article.get_absolute_url())
    assert page.evaluate(INJECT) is False
    assert page.evaluate("window.__violations")[0].startswith("script-src")

    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")  # the operations, from the schema the split view's script loads
    assert page.evaluate("window.__violations") == []
    context.close()

    page = logged_in_page(browser, base, "chefin")
    page.context.add_init_script(VIOLATIONS)
    page.goto(f"{base}/admin/newsroom/article/{article.pk}/change/")
    page.wait_for_selector(".prose-editor .ProseMirror")  # the editor's modules came through the import map
    assert page.evaluate("window.__violations") == []
    page.context.close()
