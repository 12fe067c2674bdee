"""events feature: the transactional outbox, its relay, and live updates (Server-Sent Events)."""
