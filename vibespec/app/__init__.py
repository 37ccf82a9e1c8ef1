"""The batch layer under the commands: lint many files (`lintrun`: cache, workers, progress),
compile many specs (`compilerun`: drift check, annotate, atomic writes), find spec files below
folders (`discovery`), the result cache (`cache`). Nothing here imports click."""


class Fatal(Exception):
    """Could not run: message for stderr, exit 2."""
