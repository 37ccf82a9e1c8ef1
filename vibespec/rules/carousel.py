"""Rules: carousel (being written)."""

RULES: tuple = ()
