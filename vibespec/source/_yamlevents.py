"""Where the YAML loader's events come from: libyaml 0.2.5+ (through PyYAML), else ruamel.yaml.

The loader (``yaml.py``) builds values from a parser's event stream. Two sources:

* **C**: libyaml through PyYAML's compiled extension ``yaml._yaml`` (PyYAML's wheels bundle
  libyaml 0.2.5 or newer). Used for every text when it is at hand.
* **pure**: ruamel.yaml's pure-Python parser, which implements YAML 1.2. Used for every text
  when the C source is missing (a PyYAML built without libyaml, or linked to a libyaml older
  than 0.2.5), and as the last word on a text of at most 256 KiB that libyaml refuses:
  libyaml implements YAML 1.1, so the YAML 1.2 parser decides whether such a text is an error
  and words the message the user reads. ruamel.yaml is imported only then.

Why not ruamel.yaml's own C extension (``ruamel.yaml.clib``, or ``ruamel.yaml.clibz``)? Both
wrap libyaml 0.1.7, which refuses a ``:`` inside a plain scalar in a flow collection, where
YAML 1.2 (and libyaml since 0.2.1) reads it as part of the scalar::

    image: {url: https://cdn.example.com/a.png}   # DSL.md's own style
    window: {from: 08:00, to: 20:00}
    libyaml 0.1.7: ScannerError: while scanning a plain scalar ... found unexpected ':'
    libyaml 0.2.5: {'url': 'https://cdn.example.com/a.png'}, {'from': '08:00', 'to': '20:00'}

Until 2026-12 the loader used that extension and worked around it in about 400 lines: quote
every such scalar in a copy of the text, parse the copy, check each added quote pair came back
as one quoted scalar, map columns back to the original. docs/DEVELOPING.md ("The YAML event
source") has the measurements that replaced it with this module.

When this module can shrink: when ``python -c "import _ruamel_yaml_clibz as c;
print(c.get_version_string())"`` (or ``_ruamel_yaml`` for ruamel.yaml.clib) prints 0.2.5 or
newer, ruamel.yaml's C extension can be the C source and PyYAML can leave the dependencies;
``tests/source/test_load.py::test_libyaml_reads_colons_in_flows`` then passes with it.

Both sources' events have the same attributes (``value``, ``style``, ``tag``, ``anchor``,
``start_mark``/``end_mark`` with ``line``, ``column``, ``index``); only their classes differ,
so each source comes with its :class:`Events`.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

__all__ = ["Events", "CParser", "C_EVENTS", "MIN_LIBYAML", "pure_events", "pure_source"]

MIN_LIBYAML = (0, 2, 5)  # accepts ':' (0.2.1) and '?' (0.2.5) inside plain scalars in flows


class Events(NamedTuple):
    """The event classes and error classes of one event source."""

    scalar: type
    alias: type
    mapping_start: type
    mapping_end: type
    sequence_start: type
    sequence_end: type
    document_start: type
    stream_end: type
    error: type  # base class of the parser's errors
    reader_error: type  # a character YAML does not allow


try:
    import yaml as _pyyaml
    from yaml import _yaml as _libyaml, events as _ev, reader as _reader
except ImportError:  # pragma: no cover - PyYAML is a dependency; its wheels carry libyaml
    _libyaml = None

if _libyaml is not None and _pyyaml.__with_libyaml__ and tuple(_libyaml.get_version()) >= MIN_LIBYAML:
    CParser: Any = _libyaml.CParser
    C_EVENTS: Events | None = Events(
        _ev.ScalarEvent, _ev.AliasEvent, _ev.MappingStartEvent, _ev.MappingEndEvent,
        _ev.SequenceStartEvent, _ev.SequenceEndEvent, _ev.DocumentStartEvent, _ev.StreamEndEvent,
        _pyyaml.YAMLError, _reader.ReaderError,
    )
else:  # pragma: no cover - a PyYAML built without libyaml, or with one older than 0.2.5
    CParser, C_EVENTS = None, None

_pure: Events | None = None


def pure_events() -> Events:
    """The classes of ruamel.yaml's events and errors (imports ruamel.yaml on first use)."""
    global _pure
    if _pure is None:
        from ruamel.yaml import events, reader  # lazy: ruamel.yaml only when libyaml cannot read a text
        from ruamel.yaml.error import YAMLError  # lazy: as above

        _pure = Events(
            events.ScalarEvent, events.AliasEvent, events.MappingStartEvent, events.MappingEndEvent,
            events.SequenceStartEvent, events.SequenceEndEvent, events.DocumentStartEvent,
            events.StreamEndEvent, YAMLError, reader.ReaderError,
        )
    return _pure


def pure_source(text: str) -> Callable[[], Any]:
    """Next-event callable of ruamel.yaml's pure-Python (YAML 1.2) parser over ``text``."""
    from ruamel.yaml import YAML  # lazy: ruamel.yaml only when libyaml cannot read a text

    return iter(YAML(typ="safe", pure=True).parse(text)).__next__
