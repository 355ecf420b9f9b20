"""Shared pytest configuration."""

pytest_plugins = ["tests.support.fixtures"]
