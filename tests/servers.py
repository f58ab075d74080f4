"""Real servers on loopback for tests and benchmarks: gunicorn, varnishd, and a project of their own.

Each server is started by the test on a free private port and stopped by its PID; every
wait is bounded in time. ``Site`` is a throwaway Newsroom (its own SQLite file and media
folder) that management commands and the servers share.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, *, headers=None, timeout=5):
    """``(status, headers, body)`` of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(check, *, timeout, interval=0.05, what="the condition"):
    """Call ``check()`` until it returns something true, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(interval)


def _answers(url):
    try:
        fetch(url, timeout=1)
        return True
    except OSError:
        return False


class Server:
    """A process started for a test and stopped by its PID (its whole process group)."""

    def __init__(self, command, *, env=None, cwd=ROOT, log=None):
        self.log = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


class Site:
    """A Newsroom of its own: a SQLite file, a media folder, settings by environment."""

    def __init__(self, folder, *, code=ROOT, **environment):
        self.code = Path(code)  # the checkout to run (another commit's, for a baseline)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))},
            "DATABASE_URL": f"sqlite:///{self.folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.folder / "media"),
            "STATIC_ROOT": str(self.folder / "static"),
            "DJANGO_SECRET_KEY": "a-secret-for-a-throwaway-test-site",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_COOKIES": "0",
            **environment,
        }

    def prepare(self):
        """Migrate the database and collect the static files, as a deployment does."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")

    def manage(self, *args, timeout=300):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def python(self, code, timeout=120):
        """Run ``code`` in this site's Django (``manage.py shell -c``); returns what it prints."""
        return self.manage("shell", "--no-imports", "-c", code, timeout=timeout).strip()

    def published_article_path(self):
        """The path of the one published article (the demo's)."""
        return self.python(
            "from newsroom.models import Article; print(Article.objects.published().get().get_absolute_url())"
        )

    def gunicorn(self, port, *, workers=2):
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        server = Server(
            [
                gunicorn,
                "newsroom.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
            ],
            env=self.env,
            cwd=self.code,
            log=self.folder / f"gunicorn-{port}.log",
        )
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/robots.txt"), timeout=30, what="gunicorn answering")
        return server


def redis_server(port, folder):
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found: install Debian's package redis-server (bash .ci/run does).")
    server = Server(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        log=folder / f"redis-{port}.log",
    )
    wait_until(lambda: redis_answers(port), timeout=10, what="redis-server answering")
    return server


def redis_answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_timeout=0.5).ping()
    except redis.RedisError:
        return False


def varnish(folder, *, port, backend_port):
    """varnishd in the foreground with Newsroom's VCL (backend port replaced), jailed as the current user."""
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        raise RuntimeError(
            "varnishd not found: install Debian's packages varnish and varnish-modules (bash .ci/run does)."
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vcl = folder / "newsroom.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    server = Server(
        [binary, "-F", "-j", "none", "-n", str(folder / "varnish"), "-a", f"127.0.0.1:{port}", "-f", str(vcl),
         "-s", "malloc,64m", "-p", "default_ttl=0"],
        log=folder / "varnishd.log",
    )  # fmt: skip
    wait_until(lambda: _answers(f"http://127.0.0.1:{port}/robots.txt"), timeout=30, what="varnishd answering")
    return server
