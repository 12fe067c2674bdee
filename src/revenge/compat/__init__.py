"""Protocol adapters for existing player apps, over the same services as the native API."""
