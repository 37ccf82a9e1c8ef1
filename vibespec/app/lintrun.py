"""Lint many files: cache, parallel workers, progress. Used by ``vibespec lint``/``check``.

Output order never depends on the number of workers: results are collected per file and
reported in the order the files were given (then by line and column)."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass, field
from datetime import datetime

from ..diagnostics import Diagnostic, Severity, VibespecError, sort_diagnostics
from ..files import read_capped, recording
from ..output._source import read_frame_source
from ..source import load

#: below this many files to lint, one process does it all (workers cost more than they save)
PARALLEL_THRESHOLD = 64


@dataclass
class LintRun:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    fatal: list[str] = field(default_factory=list)


def _is_body(path: str, force_body: bool) -> bool:
    return force_body or path.lower().endswith(".json")


def lint_bytes(data: bytes, filename: str, cfg, now: datetime | None, as_body: bool) -> list[Diagnostic]:
    """Lint one file's bytes (spec or raw body) -> diagnostics (never raises VibespecError)."""
    from ..api import check_document, lint_document, finish_diagnostics  # lazy: a cached `lint` does not load the API (nor the compiler and rules under it)

    try:
        doc = load(data, filename, "json" if as_body else None, cfg.limits)
    except VibespecError as e:
        return finish_diagnostics(list(e.diagnostics), None, cfg)
    if as_body:
        return check_document(doc, config=cfg, now=now)
    return lint_document(doc, config=cfg, now=now).diagnostics


def _work(args) -> tuple[int, list[dict], str | None, tuple | None]:
    """Lint one file -> (index, diagnostics as dicts, None, what the cache needs), or, when the
    file could not be read (VB009) or linting it failed (VB000), (index, [that diagnostic],
    message, None). With a cache (``now0`` set) the lint sees the time through a watched clock,
    and the result comes with the sha256 of the very bytes linted, every other file read and
    what the time did."""
    i, path, cfg, now, as_body, now0 = args
    from ..api import internal_error, unreadable  # lazy: a cached `lint` does not load the API (nor the compiler and rules under it)

    try:
        data = read_capped(path, cfg.limits.max_bytes)
    except OSError as e:
        return i, [unreadable(e, path).to_dict()], f"{path}: cannot read: {e.strerror or e}", None
    try:
        if now0 is None:
            return i, [d.to_dict() for d in lint_bytes(data, path, cfg, now, as_body)], None, None
        import hashlib  # lazy: only the result cache hashes; `check` does not load hashlib

        from .cache import Watch  # lazy: `check` and `lint --no-cache` do not load the result cache

        watch = Watch(now0)
        with recording() as reads:
            diags = lint_bytes(data, path, cfg, watch.now(), as_body)
        meta = (hashlib.sha256(data).hexdigest(), tuple(reads), watch.opaque, watch.until)
        return i, [d.to_dict() for d in diags], None, meta
    except Exception as e:  # a bug must not take the other files down
        return i, [internal_error(e, path).to_dict()], f"{path}: internal error: {type(e).__name__}: {e}", None


def _stdin(name: str, cfg, now: datetime | None, as_body: bool) -> tuple[bytes | None, list[Diagnostic], str | None]:
    """Lint standard input: (its bytes, diagnostics, failure message or None)."""
    from ..api import internal_error, unreadable  # lazy: a cached `lint` does not load the API (nor the compiler and rules under it)

    try:
        data = read_capped("-", cfg.limits.max_bytes, dash_is_stdin=True)  # /dev/zero on stdin: VB007, not a hang
    except OSError as e:
        return None, [unreadable(e, name)], f"{name}: cannot read: {e.strerror or e}"
    try:
        return data, lint_bytes(data, name, cfg, now, as_body), None
    except Exception as e:  # a bug: reported like any other file's
        return data, [internal_error(e, name)], f"{name}: internal error: {type(e).__name__}: {e}"


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _Progress:
    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.done = total, enabled and total >= 20, 0

    def step(self, n: int = 1) -> None:
        if not self.enabled:
            return
        self.done += n
        if self.done == self.total or self.done % 25 == 0:
            sys.stderr.write(f"\rvibespec: linting {self.done}/{self.total} files")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def run_lint(files: list[str], cfg, *, stdin_filename: str | None = None, now: datetime | None = None,
             use_cache: bool = True, jobs: int | None = None, progress: bool = False,
             force_body: bool = False) -> LintRun:
    """Lint ``files`` (``"-"`` is stdin). A file that cannot be read, or whose linting fails,
    gets one diagnostic (VB009, VB000) among the others and a message in ``fatal``: the
    run could not check everything. ``jobs`` (at least 1; default: the cores this process
    may use) is capped at the cores and at the number of files to lint."""
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    run = LintRun()
    per_file: list[list[Diagnostic] | None] = [None] * len(files)
    cache = None
    if use_cache and now is None:
        from .cache import Cache  # lazy: `check` and `lint --no-cache` do not load the result cache

        cache = Cache.for_config(cfg)
    todo: list[int] = []
    for i, path in enumerate(files):
        if path == "-":
            name = stdin_filename or "<stdin>"
            data, diags, err = _stdin(name, cfg, now, _is_body(name, force_body))
            per_file[i] = diags
            if err is not None:
                run.fatal.append(err)
            if diags and data is not None:
                run.sources[name] = data.decode("utf-8", "replace")
            continue
        if cache is not None:
            hit = _cached(cache, path, cfg, _is_body(path, force_body))
            if hit is not None:
                per_file[i] = hit
                continue
        todo.append(i)
    bar = _Progress(len(todo), progress)
    big = progress and any(_size(files[i]) > 1_000_000 for i in todo)
    if big:
        sys.stderr.write("vibespec: linting a large spec...\n")
    workers = min(jobs if jobs is not None else cpu_count(), cpu_count(), len(todo))
    now0 = cache.now if cache is not None else None
    args = [(i, files[i], cfg, now, _is_body(files[i], force_body), now0) for i in todo]
    results: list = []
    try:
        if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
            results = _parallel(args, workers, bar)
        else:
            for a in args:
                results.append(_work(a))
                bar.step()
    finally:  # also on Ctrl-C: the "interrupted" line must not land behind the counter
        bar.close()
    for i, diags, err, meta in results:
        per_file[i] = [Diagnostic.from_dict(d) for d in diags]
        if err is not None:  # VB009 / VB000: reported, never cached
            run.fatal.append(err)
            continue
        if cache is not None and meta is not None:
            _store(cache, files[i], per_file[i], meta, _is_body(files[i], force_body))
    if cache is not None:
        cache.flush()
    for i, diags in enumerate(per_file):
        if diags:
            for name in dict.fromkeys(d.file for d in diags):  # the spec, and e.g. its audience CSV
                if name and name not in run.sources and name != "-":
                    text = read_frame_source(name, cfg.limits.max_bytes)  # regular files only, capped
                    if text is not None:
                        run.sources[name] = text
            run.diagnostics.extend(sort_diagnostics(diags))
    return run


def _cached(cache, path: str, cfg, as_body: bool) -> list[Diagnostic] | None:
    try:
        data = read_capped(path, cfg.limits.max_bytes)
    except OSError:
        return None  # the worker reports it
    import hashlib  # lazy: only the result cache hashes; `check` does not load hashlib

    return cache.get(cache.key(path, hashlib.sha256(data).hexdigest() + ("/body" if as_body else "")), path)


def _store(cache, path: str, diags: list[Diagnostic], meta: tuple, as_body: bool) -> None:
    from .cache import Watch  # lazy: `check` and `lint --no-cache` do not load the result cache

    digest, reads, opaque, until = meta
    watch = Watch(cache.now)
    watch.opaque, watch.until = opaque, until
    cache.put(cache.key(path, digest + ("/body" if as_body else "")), path, diags, deps=reads, watch=watch)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _parallel(args: list, workers: int, bar: _Progress) -> list:
    """Lint in worker processes. However the parent stops (an exception, or Ctrl-C or
    SIGTERM turned into an exception by the command line), no worker outlives it: they are
    terminated before the exception goes on, and on Linux a worker also dies with its
    parent if the parent is killed outright."""
    import multiprocessing as mp  # lazy: only a lint of many files forks workers
    from concurrent.futures import ProcessPoolExecutor  # lazy: only a lint of many files forks workers

    # warm the imports once in the parent so forked workers share them
    import vibespec.api  # lazy: warmed only before forking workers; a cached lint never loads them  # noqa: F401
    import vibespec.compiler.lower  # lazy: warmed only before forking workers; a cached lint never loads them  # noqa: F401
    import vibespec.rules  # lazy: warmed only before forking workers; a cached lint never loads them  # noqa: F401

    try:
        ctx = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = mp.get_context()
    chunk = max(1, len(args) // (workers * 8))
    out = []
    # the workers are forked while SIGINT/SIGTERM wait: a signal handler's exception raised
    # inside fork's bookkeeping would be swallowed (printed as "ignored") and the run go on
    old_mask = _block_signals()
    try:
        ex = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                 initargs=(os.getpid(), old_mask))
        results = ex.map(_work, args, chunksize=chunk)  # submits everything: every worker is forked now
    finally:
        _restore_signals(old_mask)
    try:
        for r in results:
            out.append(r)
            bar.step()
    except BaseException:
        stop_workers(ex)
        raise
    ex.shutdown(wait=True)
    return out


_SIGNALS = ("SIGINT", "SIGTERM")


def _block_signals():
    """Hold SIGINT and SIGTERM back (delivered when unblocked) -> the mask to restore."""

    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {getattr(signal, n) for n in _SIGNALS})


def _restore_signals(old_mask) -> None:
    if old_mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def _worker_init(parent: int, old_mask) -> None:
    """In each worker: Ctrl-C (sent to the whole process group by a terminal) is the
    parent's to handle; SIGTERM kills at once; die with the parent (Linux)."""

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _restore_signals(old_mask)  # forked with them blocked (see _parallel)
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # lazy: only the Linux workers set the parent-death signal

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc symbol
            pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def stop_workers(ex) -> None:
    """Cancel what is queued and end every worker process of ``ex`` now, waiting for each."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    try:
        ex.shutdown(wait=False, cancel_futures=True)
    except Exception:  # pragma: no cover
        pass
    for p in procs:
        try:
            p.terminate()
        except Exception:  # already gone
            pass
    for p in procs:
        try:
            p.join(timeout=2)
            if p.is_alive():  # pragma: no cover - ignored SIGTERM
                p.kill()
                p.join(timeout=2)
        except Exception:  # pragma: no cover
            pass
