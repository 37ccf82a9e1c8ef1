"""The command line. ``main`` answers ``--version`` without importing click or anything
else, so that the commonest probe of a tool stays fast; every other call goes to
:mod:`vibespec.cli.app`.

Signals, in every command: Ctrl-C (SIGINT) exits 130 and SIGTERM exits 143, each with one
line on stderr and never a traceback. Both unwind the command as an exception
(:class:`Stopped`), so lint's worker processes are stopped and temporary files removed
before the process exits. A SIGINT or SIGTERM the caller set to be ignored stays ignored."""

from __future__ import annotations

import sys

from .. import __version__


class Stopped(BaseException):
    """A signal asked the command to stop (not an ``Exception``: nothing may swallow it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    raise Stopped(signum)


def _install_signal_handlers() -> None:
    import signal  # lazy: `vibespec --version` does not load signal

    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _stop)
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _stop)
    except (ValueError, OSError, AttributeError):  # not the main thread; no SIGTERM
        pass


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"vibespec {__version__}\n")
        return
    try:
        _install_signal_handlers()
        from .app import main as _main  # lazy: `vibespec --version` answers without loading click and the commands

        _main(args)
    except (Stopped, KeyboardInterrupt) as e:
        import signal  # lazy: `vibespec --version` does not load signal

        for s in (signal.SIGINT, signal.SIGTERM):  # a second signal must not interrupt the goodbye
            try:
                signal.signal(s, signal.SIG_IGN)
            except (ValueError, OSError):
                pass
        signum = getattr(e, "signum", int(signal.SIGINT))
        try:
            sys.stderr.write("vibespec: interrupted\n" if signum == signal.SIGINT else "vibespec: terminated\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        sys.exit(128 + signum)
