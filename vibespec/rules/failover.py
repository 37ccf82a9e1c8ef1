"""Rules: failover (being written)."""

RULES: tuple = ()
