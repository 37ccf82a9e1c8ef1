"""``python -m vibespec``."""

from vibespec.cli.main import main

main()
