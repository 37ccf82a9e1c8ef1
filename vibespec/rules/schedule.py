"""Rules: schedule (being written)."""

RULES: tuple = ()
