"""User item state."""
