"""Rules: content_misc (being written)."""

RULES: tuple = ()
