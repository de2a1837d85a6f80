"""Benchmarks: scripts that print measured figures. Not part of the test run."""
