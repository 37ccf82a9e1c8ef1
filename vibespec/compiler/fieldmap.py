"""The spec <-> wire names that ``lower`` (forward) and ``importer`` (backward) share, written
once. Each backward table is derived from the forward one, so the two directions cannot
drift apart."""

from __future__ import annotations

from ..spec import coerce as M

#: spec content key -> wire ``content.type`` (``text`` -> ``TEXT``), and back.
CONTENT_TYPE_OF = M.CONTENT_TYPE_OF
CONTENT_KEY_OF = {wire: key for key, wire in CONTENT_TYPE_OF.items()}

#: the wire ``actionType`` of each spec action kind (``open_url`` -> ``OPEN_URL``), in order.
ACTION_TYPE_OF = {kind: kind.upper() for kind in M.ACTION_KINDS}
ACTION_TYPES = tuple(ACTION_TYPE_OF.values())

#: spec objects that may be written as a bare string: path -> the key the string stands for
#: (``webhooks: {delivery: URL}`` means ``{delivery: {url: URL}}``).
STRING_FORMS = {("webhooks", "delivery"): "url", ("webhooks", "seen"): "url"}

#: wire webhook ``contentType`` -> its spec short name (``application/json`` -> ``json``).
HTTP_CONTENT_SHORT = {wire: short for short, wire in M._CONTENT_TYPES.items() if short != wire}
