"""The language server behind ``vibespec server`` (optional extra ``vibespec[lsp]``).

:mod:`vibespec.lsp.analysis` is plain Python (positions, the model, docs, fixes); only
:mod:`vibespec.lsp.server` imports pygls."""
