"""Recognition's background work: thin tasks that take ids and call a service."""
