"""Browsing helpers across content modules: item references, keyset pages, home rows."""
