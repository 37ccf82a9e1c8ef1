"""Rules: content_text (being written)."""

RULES: tuple = ()
