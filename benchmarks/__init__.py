"""Benchmarks of the vectorized hot path (make bench); smoke-run by make test."""
