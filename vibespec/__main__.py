"""``python -m vibespec``."""

from vibespec.cli import main

main()
