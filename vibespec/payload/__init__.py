"""Deprecated: the wire models moved to :mod:`vibespec.wire`; these paths go in the next release."""
