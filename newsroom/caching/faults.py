"""When the shared cache (Redis) fails: carry on without it, and say so in the log.

The cache only saves work (the response cache) or counts requests (the API's throttle); an
outage must not turn a page or an API answer into a 500. Callers wrap their cache calls in
``degraded()``: inside, a cache error is logged as a warning (at most once per
``WARNING_INTERVAL`` seconds and place, so an outage does not flood the log) and swallowed,
and the caller goes on as if the cache had missed. Once Redis answers again, the next call
uses it: there is nothing to reset.
"""

import contextlib
import logging
import time

from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.caching")

# What a cache backend raises when its server is down, slow or gone mid-answer.
CACHE_ERRORS = (RedisError, OSError)
WARNING_INTERVAL = 10.0
_last_warning = {}


@contextlib.contextmanager
def degraded(place):
    """Run a cache call; on a cache error, log a warning for ``place`` and go on without it."""
    try:
        yield
    except CACHE_ERRORS as error:
        now = time.monotonic()
        if now - _last_warning.get(place, float("-inf")) >= WARNING_INTERVAL:
            _last_warning[place] = now
            logger.warning("Cache nicht erreichbar (%s), es geht ohne weiter: %r", place, error)
