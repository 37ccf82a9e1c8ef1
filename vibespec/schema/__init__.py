"""The pydantic-free interpreter of the model tables that `python -m vibespec.docsgen` generates
(`spec/_table.py` from spec/model.py, `wire/_table.py` from wire/request.py): `interpreter.Schema`."""
