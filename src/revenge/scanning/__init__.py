"""Libraries as administrators run them: the libraries API, scans and their jobs, cleanup.

Above the catalogue, metadata, search and playback, which a scan feeds (catalogue items,
metadata and index jobs, subtitle files); `revenge.libraries` below holds what those
features read: the library and media file tables, access, naming, probing and the walk.
"""
