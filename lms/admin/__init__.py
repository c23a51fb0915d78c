"""Wagtail admin wiring for people: the user forms HR edits, and the org chart snippets."""
