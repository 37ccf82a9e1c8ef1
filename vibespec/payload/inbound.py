"""Deprecated: moved to :mod:`vibespec.wire.inbound_models`; this path goes in the next release."""

import sys

from ..wire.inbound_models import __name__ as _target

sys.modules[__name__] = sys.modules[_target]
