"""Rules: buttons (being written)."""

RULES: tuple = ()
