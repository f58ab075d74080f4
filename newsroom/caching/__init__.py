"""Caching at newsroom scale: validators before work, a response cache, purges of the cache in front.

- ``stamps``: ETag, Last-Modified, TTL and surrogate keys of a response from a few index probes;
- ``responses``: ``public_response`` for views: 304 without rendering, a response cache keyed by the stamp;
- ``purge``: which writes purge which surrogate keys, and the purgers (none, Varnish).
"""

from newsroom.caching.responses import finish, not_modified, public_response, surrogate_keys
from newsroom.caching.stamps import Stamp, article_stamp, listing_stamp

__all__ = ["Stamp", "article_stamp", "finish", "listing_stamp", "not_modified", "public_response", "surrogate_keys"]
