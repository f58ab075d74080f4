"""With Redis, the API throttle holds across gunicorn workers; a Redis outage degrades, it does not break.

A Redis of the test's own (private port, stopped by PID) behind a two-worker gunicorn: the
limit is counted once for all workers; killed under a short bounded load, pages and the API
keep answering (0 × 5xx, the throttle fails open with a logged warning); restarted, it is
used again within seconds, without a 500 on the way.
"""

import json
import os
import signal
import time

import pytest

from tests.servers import Site, fetch, free_port, redis_server, wait_until

LIMIT = 12
MAKE_KEYS = """
from newsroom.models import Partner, PartnerAPIKey
partner = Partner.objects.create(name="Regionalsender Nord", contact_email="technik@example.org")
print(json_dumps([PartnerAPIKey.objects.create_key(partner=partner, name=f"Schlüssel {n}")[1] for n in range(4)]))
"""


def _redis_keys(port):
    import redis

    return redis.Redis(port=port, socket_timeout=0.5).dbsize()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("redis-faults")
    redis_port, web_port = free_port(), free_port()
    cache = redis_server(redis_port, folder)
    site = Site(folder, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", NEWSROOM_API_RATE=f"{LIMIT}/hour")
    site.prepare()
    site.manage("load_demo")
    keys = json.loads(site.python("from json import dumps as json_dumps\n" + MAKE_KEYS))
    web = site.gunicorn(web_port, workers=2)
    state = {"cache": cache}
    try:
        yield site, f"http://127.0.0.1:{web_port}", redis_port, keys, state, folder
    finally:
        web.stop()
        state["cache"].stop()


def api_get(base, path, key):
    return fetch(base + path, headers={"Authorization": f"Api-Key {key}"})


def test_the_throttle_counts_once_for_all_workers(stack):
    _, base, _, keys, _, _ = stack
    statuses = [api_get(base, "/api/v1/articles/", keys[0])[0] for _ in range(2 * LIMIT)]
    # Two workers, each counting on its own, would let up to twice the limit through.
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == LIMIT


def test_a_redis_outage_degrades_and_recovers_without_a_5xx(stack):
    site, base, redis_port, keys, state, folder = stack
    paths = ["/", "/feeds/rss/", "/sitemap.xml"]
    assert all(fetch(base + path)[0] == 200 for path in paths)

    os.kill(state["cache"].pid, signal.SIGKILL)
    state["cache"].process.wait(timeout=10)
    statuses = []
    deadline = time.monotonic() + 20
    for _ in range(10):  # a short bounded load while Redis is gone
        if time.monotonic() > deadline:
            break
        statuses += [fetch(base + path)[0] for path in paths]
        statuses.append(api_get(base, "/api/v1/articles/", keys[1])[0])
    assert len(statuses) == 40
    assert [status for status in statuses if status >= 500] == []
    assert set(statuses) == {200}  # the throttle let the key through instead of failing
    log = (folder / f"gunicorn-{base.rsplit(':', 1)[1]}.log").read_text()
    assert "Cache nicht erreichbar (API throttle)" in log
    assert "Cache nicht erreichbar (response cache)" in log

    state["cache"] = redis_server(redis_port, folder)
    restarted = time.monotonic()
    after = []

    def cache_used_again():
        after.append(api_get(base, "/api/v1/articles/", keys[2])[0])
        after.append(fetch(base + "/")[0])
        return _redis_keys(redis_port) > 0

    wait_until(cache_used_again, timeout=5, interval=0.1, what="the site using Redis again")
    recovery = time.monotonic() - restarted
    assert recovery < 5
    assert [status for status in after if status >= 500] == []

    # And the throttle counts again, once for all workers.
    statuses = [api_get(base, "/api/v1/articles/", keys[3])[0] for _ in range(LIMIT + 3)]
    assert (statuses.count(200), statuses.count(429)) == (LIMIT, 3)
    print(f"Redis fault: {len(after)} requests until Redis was used again, {recovery:.2f} s after its restart")
