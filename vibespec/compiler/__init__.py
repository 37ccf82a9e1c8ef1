"""vibespec.compiler: spec -> body (lower), the source map, deterministic JSON (emit), templates, body -> spec (importer)."""
