"""Fixtures: the signed-in actors of tests.support.actors."""

from tests.support.actors import actors, test_auth

__all__ = ["actors", "test_auth"]
