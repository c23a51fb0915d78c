"""The quiz engine's operations: drawing papers, attempts and their scoring, item statistics."""
