"""Content modules (movies, tv, music, audiobooks, podcasts), each with its own tables."""
