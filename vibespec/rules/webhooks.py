"""Rules: webhooks (being written)."""

RULES: tuple = ()
