"""Benchmarks: ``make bench`` (throughput, server CPU, with wrk) and ``make bench-scale`` (1,000 vs 100,000)."""
