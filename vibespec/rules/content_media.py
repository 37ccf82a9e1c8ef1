"""Rules: content_media (being written)."""

RULES: tuple = ()
