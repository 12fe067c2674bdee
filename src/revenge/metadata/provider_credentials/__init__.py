"""Provider credentials: API keys for TMDb, TheTVDB and other metadata sources, sealed at rest."""
