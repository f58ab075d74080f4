"""The benchmark's settings: Newsroom's own, plus a hello-world view behind the same middleware (the ceiling)."""

from newsroom.settings import *  # noqa: F403 (the benchmark measures the product's settings)

ROOT_URLCONF = "bench.urls"
