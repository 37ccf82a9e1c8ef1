"""Rules: keyboard (being written)."""

RULES: tuple = ()
