"""The error a converter named in a model table raises: the interpreter turns it into a
diagnostic with its own code. Re-exported by :mod:`vibespec.spec.shorthand`."""

from __future__ import annotations

from ..codes import Code


class ShorthandError(ValueError):
    def __init__(self, code: Code, message: str, help: str | None = None, path: tuple | None = None):
        super().__init__(message)
        self.code = code.code  # the string: pydantic's error type, the table interpreter's error dicts
        self.message = message
        self.help = help
        self.path = path  # where in the spec, when the raiser knows
