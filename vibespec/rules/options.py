"""Rules: options (being written)."""

RULES: tuple = ()
