"""Reminders: who is told of which deadline and when; digests; the mail outbox."""
