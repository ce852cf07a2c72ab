"""Benchmarks that run the real service (``make bench-waiting-room``)."""
