"""Parsers that turn the documents offices receive into directives and tasks."""
