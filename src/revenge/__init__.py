"""Revenge: a self-hosted media server backend."""

__version__ = "0.1.0"
