"""Two editors saving the same article at once, and a save that meets a busy database, on real servers.

The site has its own database, on the engine this suite runs on (its own SQLite file, or its
own PostgreSQL database beside the test database), and gunicorn with several workers, so
the two saves really run at the same time in different processes.
"""

import functools
import http.cookiejar
import re
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from django.conf import settings

from tests.adminforms import admin_form_data
from tests.servers import Site, free_port

ROUNDS = 20
PASSWORD = "ein-sicheres-passwort"
CONFLICT = "Dieser Artikel wurde inzwischen"
UNAVAILABLE = "Die Datenbank war gerade belegt oder nicht erreichbar"

SETUP = f"""
from django.contrib.auth.models import User
from tests.factories import ArticleFactory, FAQItemFactory
for name in ("anna", "ben"):
    User.objects.create_superuser(name, name + "@example.org", {PASSWORD!r})
article = ArticleFactory(title="Gipfel in Paris")
FAQItemFactory(article=article)
print(article.pk)
"""

TITLE = "from newsroom.models import Article; print(Article.objects.get(pk={pk}).title)"
REVISIONS = (
    "from reversion.models import Version; from newsroom.models import Article; "
    "print(Version.objects.get_for_object(Article.objects.get(pk={pk})).count())"
)


class Editor:
    """A browser session in the admin: logs in, opens the change form, saves it."""

    def __init__(self, base, name):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        page = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.post("/admin/login/", {"csrfmiddlewaretoken": token, "username": name, "password": PASSWORD})
        assert status == 302, f"{name} could not log in"

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def open_form(self, pk):
        return admin_form_data(self.get(f"/admin/newsroom/article/{pk}/change/"))

    def save(self, pk, data):
        return self.post(f"/admin/newsroom/article/{pk}/change/", {**data, "_continue": "1"})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _database_for_the_site():
    """``(DATABASE_URL, drop)`` for the site: its SQLite file, or a fresh PostgreSQL database."""
    options = settings.DATABASES["default"]
    if options["ENGINE"] != "django.db.backends.postgresql":
        return None, lambda: None
    import psycopg

    server = {
        "host": options["HOST"] or "127.0.0.1",
        "port": options["PORT"] or 5432,
        "user": options["USER"],
        "password": options.get("PASSWORD") or None,
    }
    name = f"newsroom_saves_{uuid.uuid4().hex[:12]}"

    def run(statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as maintenance:
            maintenance.execute(statement)

    run(f'CREATE DATABASE "{name}"')
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    url = f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saves")
    url, drop = _database_for_the_site()
    site = Site(folder, **({"DATABASE_URL": url} if url else {}))
    servers = []
    try:
        site.prepare()
        pk = int(site.python(SETUP))
        port, impatient_port = free_port(), free_port()
        servers.append(site.gunicorn(port, workers=4))
        # The same site with a short wait, for the save that meets a database busy for longer.
        site.env["NEWSROOM_DATABASE_WAIT"] = "1"
        servers.append(site.gunicorn(impatient_port, workers=2))
        yield site, pk, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{impatient_port}"
    finally:
        for server in servers:
            server.stop()
        drop()


def _both_at_once(first, second):
    """Run two callables at the same moment in two threads; their results in order."""
    start, results = threading.Barrier(2), [None, None]

    def run(index, call):
        start.wait(timeout=10)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_simultaneous_saves_end_in_one_version_and_one_conflict_message(newsroom):
    site, pk, base, _ = newsroom
    anna, ben = Editor(base, "anna"), Editor(base, "ben")
    # A first save on its own records the article's state before it as well (a baseline).
    assert anna.save(pk, anna.open_form(pk))[0] == 302
    revisions_before = int(site.python(REVISIONS.format(pk=pk)))
    outcomes = []
    for round_number in range(1, ROUNDS + 1):
        forms = {"anna": anna.open_form(pk), "ben": ben.open_form(pk)}
        titles = {name: f"Fassung von {name}, Runde {round_number}" for name in forms}
        answers = _both_at_once(
            functools.partial(anna.save, pk, {**forms["anna"], "title": titles["anna"]}),
            functools.partial(ben.save, pk, {**forms["ben"], "title": titles["ben"]}),
        )
        statuses = sorted(status for status, _ in answers)
        assert 500 not in statuses, f"round {round_number}: a 500"
        assert statuses == [200, 302], f"round {round_number}: {statuses} instead of one save and one refusal"
        (saved_name,) = [name for name, (status, _) in zip(forms, answers, strict=True) if status == 302]
        ((_, refused_page),) = [answer for answer in answers if answer[0] == 200]
        assert CONFLICT in refused_page
        other = "ben" if saved_name == "anna" else "anna"
        assert titles[other] in refused_page  # the refused editor's input is still in the form
        assert site.python(TITLE.format(pk=pk)) == titles[saved_name]
        outcomes.append(saved_name)
    # One version per round, no more.
    assert int(site.python(REVISIONS.format(pk=pk))) == revisions_before + ROUNDS
    assert len(outcomes) == ROUNDS


class _HeldLock:
    """Holds the database (SQLite) or the article's row (PostgreSQL) as another save would."""

    def __init__(self, site, pk):
        url = site.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            self.connection = sqlite3.connect(
                url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
            )
            self.connection.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            self.connection = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
            self.connection.execute("SELECT id FROM newsroom_article WHERE id = %s FOR UPDATE", [pk])

    def release(self):
        if isinstance(self.connection, sqlite3.Connection):
            self.connection.execute("COMMIT")
        else:
            self.connection.commit()
        self.connection.close()


def _save_while_held(base, pk, title, seconds, site):
    editor = Editor(base, "anna")
    form = editor.open_form(pk)
    lock = _HeldLock(site, pk)
    releaser = threading.Timer(seconds, lock.release)
    started = time.monotonic()
    releaser.start()
    try:
        status, page = editor.save(pk, {**form, "title": title})
    finally:
        releaser.join(timeout=seconds + 5)
    return status, page, time.monotonic() - started


def test_a_save_waits_for_a_database_held_for_two_seconds_and_then_succeeds(newsroom):
    site, pk, base, _ = newsroom
    status, page, took = _save_while_held(base, pk, "Gesichert nach dem Warten", 2, site)
    assert status == 302, page[:500]
    assert took >= 2  # it waited for the other save, it did not fail
    assert site.python(TITLE.format(pk=pk)) == "Gesichert nach dem Warten"


def test_a_save_that_cannot_get_the_database_in_time_keeps_the_input_and_says_so(newsroom):
    site, pk, _, impatient = newsroom
    before = site.python(TITLE.format(pk=pk))
    status, page, _ = _save_while_held(impatient, pk, "Diese Fassung darf nicht verloren gehen", 6, site)
    assert status == 200
    assert UNAVAILABLE in page
    assert "Diese Fassung darf nicht verloren gehen" in page  # still in the form, ready to save again
    assert site.python(TITLE.format(pk=pk)) == before
