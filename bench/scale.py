"""``make bench-scale``: every surface at 1,000 and at 100,000 articles on PostgreSQL, and the ratio.

Two databases on the PostgreSQL server of ``BENCH_POSTGRES`` (default: the local one,
user postgres) are filled with ``generate_articles`` once and reused by later runs
(``BENCH_FRESH=1`` fills them again). ``bench.measure`` then times every surface in each.
"""

import json
import os
import subprocess
import sys
import time

from tests.servers import ROOT

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
LIMIT_RATIO, LIMIT_MS = 1.3, 150


def run(command, env, *, timeout=7200, capture=True):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=capture, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(sql):
    run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{SERVER}/postgres", "-c", sql], os.environ.copy())


def environment(name):
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{name}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-scale-secret"),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",
        "MEDIA_ROOT": f"/tmp/newsroom-bench-scale/{name}/media",
        "STATIC_ROOT": f"/tmp/newsroom-bench-scale/{name}/static",
    }


def filled(env, size):
    """Whether the database holds the demo and ``size`` generated articles already."""
    code = "from newsroom.services.generating import generated_articles; print(generated_articles().count())"
    try:
        return int(run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], env).strip()) == size
    except SystemExit:
        return False


def prepare(size):
    name = f"newsroom_bench_{size}"
    env = environment(name)
    if os.environ.get("BENCH_FRESH") or not filled(env, size):
        psql(f'DROP DATABASE IF EXISTS "{name}"')
        psql(f'CREATE DATABASE "{name}"')
        started = time.monotonic()
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",)):
            run([sys.executable, "manage.py", *args], env)
        print(f"Filling {name} with {size} articles …", flush=True)
        run([sys.executable, "manage.py", "generate_articles", "--count", str(size), "--seed", "1"], env, capture=False)
        run(["psql", "-q", f"{SERVER}/{name}", "-c", "VACUUM ANALYZE"], os.environ.copy())
        print(f"{name}: filled in {time.monotonic() - started:.0f} s", flush=True)
    run([sys.executable, "manage.py", "migrate", "--noinput"], env)  # a filled database follows the code
    run([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
    return env


ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "2"))


def best(rounds):
    """Per surface the fastest of the rounds' medians: the machine's noise only ever adds time."""
    result = dict(rounds[0], surfaces={})
    for name in rounds[0]["surfaces"]:
        result["surfaces"][name] = min((measured["surfaces"][name] for measured in rounds), key=lambda m: m["ms"])
    return result


def main():
    envs = {size: prepare(size) for size in SIZES}
    rounds = {size: [] for size in SIZES}
    for round_number in range(ROUNDS):  # interleaved, so that a busy moment hits both sizes
        for size in SIZES:
            print(f"Measuring {size} articles (round {round_number + 1} of {ROUNDS}) …", flush=True)
            rounds[size].append(json.loads(run([sys.executable, "-m", "bench.measure"], envs[size])))
    results = {size: best(rounds[size]) for size in SIZES}
    small, large = (results[size] for size in (min(SIZES), max(SIZES)))
    print()
    low, high = (f"ms at {size}" for size in (min(SIZES), max(SIZES)))
    print(f"{'surface':<30} {'queries':>11} {low:>12} {high:>13} {'ratio':>7}")
    failures = []
    for name, measured in large["surfaces"].items():
        before = small["surfaces"][name]
        ratio = measured["ms"] / before["ms"]
        queries = f"{before['queries']} / {measured['queries']}"
        verdict = ""
        if ratio > LIMIT_RATIO or measured["ms"] > LIMIT_MS:
            verdict = "  ← over the limit"
            failures.append(name)
        print(f"{name:<30} {queries:>11} {before['ms']:>12.1f} {measured['ms']:>13.1f} {ratio:>7.2f}{verdict}")
    print()
    print(f"{large['articles']} articles ({large['published']} published), against {small['articles']}.")
    if os.environ.get("BENCH_VERBOSE"):
        for name, measured in large["surfaces"].items():
            print(f"\n{name}: slowest queries at {max(SIZES)}")
            for duration, sql in measured["slowest"]:
                print(f"  {duration:7.1f} ms  {sql}")
    if large["search_plan"]:
        print("\nSearch plan at the larger size:\n" + large["search_plan"])
    if failures:
        print(f"\nOver {LIMIT_RATIO}× or {LIMIT_MS} ms: {', '.join(failures)}")


if __name__ == "__main__":
    main()
