"""Movies."""
