"""The pieces of a library scan: walk, diff against the database, read new files (the scan
itself, which catalogues them, is `revenge.scanning.scan`)."""
