"""Rules: addressing (being written)."""

RULES: tuple = ()
