"""Webhook parsing and validation: the public path of :mod:`vibespec.wire.inbound`.

``vibespec.inbound`` is the same module object as ``vibespec.wire.inbound``, so every name (and
monkeypatching one) behaves as before the move.
"""

import sys

from .wire.inbound import __name__ as _target

sys.modules[__name__] = sys.modules[_target]
