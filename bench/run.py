"""``make bench``: requests per second, latency and server CPU per request, measured with wrk in one interleaved run.

It builds a throwaway site (SQLite; ``BENCH_DATABASE_URL`` for another database) with the demo
and ``generate_articles``, starts gunicorn (2 sync workers, DEBUG off) on loopback three times:
with the response cache, without it (every page rendered), and under Varnish; optionally a
fourth time from an older commit (``BENCH_BASELINE=<git rev>``) for "today's" cost. Then every
scenario runs ``ROUNDS`` times in turn for ``SECONDS`` each, so that drifts of the machine hit
them all alike. Server CPU comes from ``/proc/<pid>/stat`` of gunicorn's processes; every
figure is also given as a ratio to the hello-world view behind the same middleware.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import ROOT, Site, fetch, free_port, varnish

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU of a process and its children that have been waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / TICKS


def processes(master_pid):
    """gunicorn's master and its workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [master_pid, *(int(child) for child in children)]


def total_cpu(pids):
    return sum(cpu_seconds(pid) for pid in pids)


_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, headers=(), seconds=SECONDS):
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        *sum((["-H", h] for h in headers), []),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = {percent: float(value) * _UNITS[unit] for percent, value, unit in _LATENCY.findall(output)}
    return requests, int(non_2xx.group(1)) if non_2xx else 0, latency.get("50"), latency.get("99")


@dataclass
class Scenario:
    name: str
    url: str
    pids: list
    headers: tuple = ()
    expect: int = 200
    runs: list = field(default_factory=list)

    def run(self):
        before = total_cpu(self.pids)
        requests, bad, p50, p99 = wrk(self.url, self.headers)
        cpu = total_cpu(self.pids) - before
        if bad and self.expect == 200:
            raise RuntimeError(f"{self.name}: {bad} of {requests} responses were not 2xx/3xx")
        self.runs.append({"requests": requests, "cpu": cpu, "p50": p50, "p99": p99})

    @property
    def rate(self):
        return statistics.median(run["requests"] / SECONDS for run in self.runs)

    @property
    def cpu_us(self):
        requests = sum(run["requests"] for run in self.runs)
        return 1e6 * sum(run["cpu"] for run in self.runs) / requests if requests else float("nan")

    def latency(self, key):
        return statistics.median(run[key] for run in self.runs if run[key] is not None)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's wrk for the benchmark …", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return
    sys.exit("make bench needs wrk: sudo apt-get install wrk")


def build_site(folder, articles=ARTICLES):
    # A partner limit far above what wrk sends: the benchmark measures answers, not 429s.
    environment = {"NEWSROOM_LOCAL_CACHE_ENTRIES": "5000", "NEWSROOM_API_RATE": "100000000/hour"}
    if os.environ.get("BENCH_DATABASE_URL"):
        environment["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    site = Site(folder, DJANGO_SETTINGS_MODULE="bench.settings", **environment)
    site.prepare()
    site.manage("load_demo")
    if articles:
        site.manage("generate_articles", "--count", str(articles), timeout=3600)
    return site


def partner_key(site):
    output = site.manage("create_partner_key", "Benchmark", "--email", "bench@example.org")
    return next(line.strip() for line in output.splitlines() if "." in line and " " not in line.strip())


def main():
    ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    servers = []
    try:
        print(f"Building the benchmark site in {work} ({ARTICLES} generated articles) …", flush=True)
        site = build_site(work / "current")
        key = partner_key(site)
        article_pk = int(
            site.python(
                "from newsroom.models import Article; print(Article.objects.get(title__startswith='Wie die').pk)"
            )
        )
        cached_port, uncached_port, varnish_port = free_port(), free_port(), free_port()
        cached = site.gunicorn(cached_port)
        servers.append(cached)
        uncached_site = Site(work / "current", DJANGO_SETTINGS_MODULE="bench.settings", NEWSROOM_RESPONSE_CACHE="0")
        uncached_site.env["DATABASE_URL"] = site.env["DATABASE_URL"]
        uncached = uncached_site.gunicorn(uncached_port)
        servers.append(uncached)
        front = varnish(work / "varnish", port=varnish_port, backend_port=cached_port)
        servers.append(front)
        base = f"http://127.0.0.1:{cached_port}"
        page_path = site.python(
            f"from newsroom.models import Article; print(Article.objects.get(pk={article_pk}).get_absolute_url())"
        )
        etag = fetch(base + page_path)[1]["ETag"]
        auth = f"Authorization: Api-Key {key}"
        api_etag = fetch(f"{base}/api/v1/articles/{article_pk}/", headers={"Authorization": f"Api-Key {key}"})[1][
            "ETag"
        ]
        pids_cached, pids_uncached = processes(cached.pid), processes(uncached.pid)
        varnished = f"http://127.0.0.1:{varnish_port}"
        detail = f"/api/v1/articles/{article_pk}/"
        scenarios = [
            Scenario("hello-world (ceiling)", f"{base}/bench/hello/", pids_cached),
            Scenario("explainer page, uncached", f"http://127.0.0.1:{uncached_port}{page_path}", pids_uncached),
            Scenario("explainer page, cached", base + page_path, pids_cached),
            Scenario("explainer page, 304", base + page_path, pids_cached, (f"If-None-Match: {etag}",), expect=304),
            Scenario("API detail", base + detail, pids_cached, (auth,)),
            Scenario("API detail, 304", base + detail, pids_cached, (auth, f"If-None-Match: {api_etag}"), expect=304),
            Scenario("API list", f"{base}/api/v1/articles/", pids_cached, (auth,)),
            Scenario("explainer page via Varnish", varnished + page_path, pids_cached),
            Scenario("API detail via Varnish (pass)", varnished + detail, pids_cached, (auth,)),
        ]
        baseline = os.environ.get("BENCH_BASELINE")
        if baseline:
            scenarios.insert(2, baseline_scenario(work, baseline, servers))
        for scenario in scenarios:  # warm-up: caches filled, workers imported everything
            fetch(scenario.url, headers=dict(header.split(": ", 1) for header in scenario.headers))
        print(f"Measuring {len(scenarios)} scenarios, {ROUNDS} rounds of {SECONDS} s each, interleaved …", flush=True)
        for _ in range(ROUNDS):
            for scenario in scenarios:
                scenario.run()
        report(scenarios)
    finally:
        for server in reversed(servers):
            server.stop()
        remove_worktree(work)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


def baseline_scenario(work, revision, servers):
    """The explainer page served by an older commit of Newsroom: "today's" cost, in the same run."""
    code = work / "baseline-code"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(code), revision], check=True, capture_output=True
    )
    site = Site(work / "baseline", code=code)
    site.prepare()
    site.manage("load_demo")
    port = free_port()
    server = site.gunicorn(port)
    servers.append(server)
    path = site.python(
        "from newsroom.models import Article; "
        "print(Article.objects.published().get(title__startswith='Wie die').get_absolute_url())"
    )
    name = f"explainer page, uncached, {revision[:10]} (today)"
    return Scenario(name, f"http://127.0.0.1:{port}{path}", processes(server.pid))


def remove_worktree(work):
    code = work / "baseline-code"
    if code.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(code)], capture_output=True)


def ratio_to(scenario, ceiling):
    """The median over the rounds of req/s relative to the ceiling in the same round.

    A shared machine's speed drifts between rounds; a ratio within one round (a few seconds
    apart) is steadier than the ratio of two medians.
    """
    return statistics.median(
        mine["requests"] / theirs["requests"] for mine, theirs in zip(scenario.runs, ceiling.runs, strict=True)
    )


def report(scenarios):
    ceiling = scenarios[0]
    print()
    print(f"{'scenario':<46} {'req/s':>9} {'× hello':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>11} {'× hello':>8}")
    for scenario in scenarios:
        print(
            f"{scenario.name:<46} {scenario.rate:>9.0f} {ratio_to(scenario, ceiling):>8.2f} "
            f"{scenario.latency('p50'):>8.2f} {scenario.latency('p99'):>8.2f} "
            f"{scenario.cpu_us:>11.0f} {scenario.cpu_us / ceiling.cpu_us:>8.2f}"
        )
    by_name = {scenario.name: scenario for scenario in scenarios}
    today = next((s for s in scenarios if s.name.endswith("(today)")), None)
    if today is not None:
        now = by_name["explainer page, uncached"]
        print()
        print(
            f"Uncached explainer page: {now.cpu_us / ceiling.cpu_us:.2f}× the hello-world CPU now, "
            f"{today.cpu_us / ceiling.cpu_us:.2f}× at {today.name.split(', ')[2].split(' ')[0]}: "
            f"{now.cpu_us / today.cpu_us:.2f} of today's cost."
        )


if __name__ == "__main__":
    main()
