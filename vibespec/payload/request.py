"""Deprecated: moved to :mod:`vibespec.wire.request`; this path goes in the next release."""

import sys

from ..wire.request import __name__ as _target

sys.modules[__name__] = sys.modules[_target]
