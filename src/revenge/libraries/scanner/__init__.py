"""The library scanner: walk, diff against the database, read new files, catalogue them."""
