"""Delivery-report parsing and validation: the public path of :mod:`vibespec.wire.reports`.

``vibespec.reports`` is the same module object as ``vibespec.wire.reports``, so every name (and
monkeypatching one) behaves as before the move.
"""

import sys

from .wire.reports import __name__ as _target

sys.modules[__name__] = sys.modules[_target]
