"""``vibespec send``, ``vibespec reports pull`` and ``vibespec logs``: the commands that talk
to Infobip. The HTTP stack (``vibespec.send``, ``http.client``) is imported inside the
commands, so ``lint``, ``compile`` and ``check`` never load it.

Exit codes: 0 done (dry run printed, every request accepted, reports pulled); 1 lint
findings at or above ``--fail-on``, a request rejected (400, 401, 403), not confirmed
or not sent; 2 could not run (bad arguments or settings, no credentials, an unsafe base URL,
a lock held by another send, a spec already sent, a saved plan that no longer matches)."""

from __future__ import annotations

import json
import os
import sys

import click

from ..diagnostics import Severity
from .app import Fatal, _config, _guard, _now, _report, _safe
from .wire_cmds import reports_cmd

# --------------------------------------------------------------------------- helpers


def _interactive() -> bool:
    """Is there a person to ask? (standard input is a terminal)"""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _settings(config_path, spec_path, **over):
    from ..send.settings import SettingsError, load  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    start = os.path.dirname(os.path.abspath(spec_path)) if spec_path else None
    try:
        return load(config_path, start).merged(**over)
    except SettingsError as e:
        raise Fatal(str(e)) from None


def _client(settings):
    from ..send.client import ConfigurationError  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs
    from ..send.settings import make_client  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    try:
        return make_client(settings)
    except ConfigurationError as e:
        raise Fatal(str(e)) from None


def _retry(settings):
    from ..send.client import RetryPolicy  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    return RetryPolicy(attempts=settings.attempts, base=settings.backoff)


def _safe_writer(out):
    """``out.write`` for text that quotes the spec (bulkIds, message ids, findings): control
    characters escaped, line breaks kept, as every other command prints spec values."""
    return lambda text: out.write(_safe(text, newlines=True))


def _print_plan(plan, saved_path, out) -> None:
    w = _safe_writer(out)
    w(f"{plan.spec}: {len(plan.chunks)} request{'s' if len(plan.chunks) != 1 else ''} "
      f"(at most {plan.chunk_size} destinations each), {plan.messages} message{'s' if plan.messages != 1 else ''}, "
      f"{plan.destinations} destination{'s' if plan.destinations != 1 else ''}\n")
    w(f"  sendAt: {plan.send_at or 'now (no send_at)'}\n")
    w(f"  plan:   {plan.plan_id}\n")
    if saved_path:
        w(f"  saved:  {saved_path}\n")
    w(f"  {'#':>5}  {'bulkId':<40} {'messages':>8} {'destinations':>12}  sha256\n")
    shown = plan.chunks if len(plan.chunks) <= 50 else plan.chunks[:25] + [None] + plan.chunks[-24:]
    for c in shown:
        if c is None:
            w(f"  {'...':>5}  ({len(plan.chunks) - 49} more requests; --format json lists all)\n")
            continue
        w(f"  {c.index:>5}  {c.bulk_id:<40} {len(c.parts):>8} {c.destinations:>12}  {c.sha256}\n")
    for pw in plan.warnings:
        w(f"  {pw.severity}[{pw.code}]: {pw.message}\n")
    if (plan.body.get("options") or {}).get("schedule", {}).get("sendingSpeedLimit") and len(plan.chunks) > 1:
        w("  note: sendingSpeedLimit applies to each request (each bulkId) on its own\n")


def _print_result(result, out) -> None:
    w = _safe_writer(out)
    counts = result.counts()
    w(f"{result.spec}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f" (receipt {result.receipt})\n")
    for c in result.chunks:
        if c.state in ("accepted", "skipped") and c.via == "send":
            continue
        how = {"logs": "confirmed through the logs, not sent again", "receipt": "already confirmed by the receipt"}
        w(f"  request {c.index} ({c.bulk_id}): {c.state}" + (f": {c.error}" if c.error else "")
          + (f" ({how[c.via]})" if c.via in how else "") + "\n")


# --------------------------------------------------------------------------- send


@click.command("send")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--apply", "do_apply", is_flag=True, help="Send (without it: a dry run that prints what would go out).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation on a terminal.")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
              help="Write the plan to this file (send it later with `vibespec send --apply PLAN`).")
@click.option("--force", is_flag=True, help="Send even though a receipt says this spec was sent.")
@click.option("--chunk-size", type=click.IntRange(1, 100_000), default=None,
              help="Destinations per request [default: 1000, or send.chunk-size].")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Requests in flight [default: 4].")
@click.option("--timeout", type=click.FloatRange(0.001, 3600), default=None, help="Seconds to wait for an answer.")
@click.option("--audience", type=click.Path(dir_okay=False), default=None, help="Use this CSV audience instead.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Refuse when lint finds anything at or above this [default: error].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--now", "now", default=None, hidden=True)
@_guard
def send_cmd(target, do_apply, yes, save_path, force, chunk_size, concurrency, timeout, audience, fail_on,
             config_path, fmt, now):
    """Show what a spec sends (dry run), or send it with --apply.

    TARGET is a spec, or a plan written by --save (then only --apply sends it, and only
    when the spec still compiles to exactly that plan). Credentials come from the
    environment: INFOBIP_API_KEY (or INFOBIP_TOKEN) and INFOBIP_BASE_URL."""
    from ..send.plan import PlanError, is_saved_plan, load_saved, prepare, save, verify  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    saved = None
    spec = target
    if not os.path.exists(target):
        raise Fatal(f"{target}: no such file")
    if is_saved_plan(target):
        try:
            saved = load_saved(target)
        except PlanError as e:
            raise Fatal(str(e)) from None
        spec = saved["spec"]
        if not os.path.exists(spec) and saved.get("spec_abs"):
            spec = saved["spec_abs"]
        if chunk_size is not None and chunk_size != saved["chunk_size"]:
            raise Fatal(f"{target}: the saved plan cuts requests of {saved['chunk_size']} destinations; "
                        "drop --chunk-size or save a new plan")
        chunk_size = saved["chunk_size"]
        if save_path:
            raise Fatal("--save takes a spec, not a saved plan")
    settings = _settings(config_path, spec, chunk_size=chunk_size, concurrency=concurrency, timeout=timeout)
    cfg = _config(config_path, [spec], None, None, None, fail_on)
    try:
        plan = prepare(spec, config=cfg, chunk_size=settings.chunk_size, now=_now(now), audience=audience)
        if saved is not None:
            verify(saved, plan)
    except PlanError as e:
        if e.diagnostics:
            _report(e.diagnostics, "full", e.sources, None, False)
            click.echo(f"vibespec: {e}", err=True)
            return 1
        raise Fatal(str(e)) from None
    except OSError as e:
        raise Fatal(f"{spec}: cannot read: {e.strerror or e}") from None
    below = [d for d in plan.diagnostics]
    for d in below:
        click.echo(_safe(d.format_short()), err=True)
    if save_path:
        save(plan, save_path)
    if fmt == "json" and not do_apply:
        click.echo(json.dumps(plan.to_dict() | {"dry_run": True}, indent=2, ensure_ascii=False))
        return 0
    _print_plan(plan, save_path, sys.stdout if fmt == "text" else sys.stderr)
    if not do_apply:
        if fmt == "text":
            click.echo("dry run: nothing was sent; add --apply to send" + (f" (or `vibespec send --apply {save_path}`)"
                                                                          if save_path else ""))
        return 0
    client = _client(settings)
    if not force:
        from ..send import Store  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

        done = Store(settings.receipts).sent(plan.spec, plan.plan_id)
        if done:  # say so before asking (apply checks again under the lock)
            raise Fatal(f"{plan.spec} was already sent ({done[-1].get('finished')}); use --force to send it again")
    if not yes and _interactive():
        if not click.confirm(f"send {plan.destinations} destinations in {len(plan.chunks)} requests to "
                             f"{client.base_url}?", default=False):
            click.echo("nothing sent", err=True)
            return 1
    return _apply(plan, client, settings, force, fmt)


def _apply(plan, client, settings, force, fmt) -> int:
    from ..send import AlreadySent, LockedError, SendError, Store, apply  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    store = Store(settings.receipts)
    log = (lambda s: click.echo("vibespec: " + client.redact(s), err=True))
    try:
        result = apply(plan, client, store, force=force, concurrency=settings.concurrency, retry=_retry(settings),
                       unknown_checks=settings.unknown_checks, unknown_wait=settings.unknown_wait, log=log)
    except (AlreadySent, LockedError) as e:
        raise Fatal(client.redact(str(e))) from None
    except SendError as e:
        raise Fatal(client.redact(str(e))) from None
    finally:
        client.close()
    if result.diagnostics:
        _report(result.diagnostics, "full", {plan.spec: plan.compiled.document.text}, None, False)
    if fmt == "json":
        click.echo(json.dumps({"spec": result.spec, "plan_id": result.plan_id, "receipt": result.receipt,
                               "ok": result.ok, "counts": result.counts(),
                               "chunks": [{"index": c.index, "bulkId": c.bulk_id, "state": c.state, "via": c.via,
                                           "destinations": c.destinations, "error": c.error}
                                          for c in result.chunks]}, indent=2))
    else:
        _print_result(result, sys.stdout)
    if result.fatal:
        click.echo("vibespec: " + client.redact(result.fatal), err=True)
    return 0 if result.ok else 1


# --------------------------------------------------------------------------- reports


class ReportsGroup(click.Group):
    """``vibespec reports FILE...`` (validate bodies, as before) and ``vibespec reports pull``.

    A first argument that names a subcommand runs it; anything else is a file list for
    ``reports check`` (a file literally named ``pull``: write ``./pull``)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["check"] + list(args)
        return super().parse_args(ctx, args)


@click.group("reports", cls=ReportsGroup)
def reports_group():
    """Validate delivery report bodies or fetch them from Infobip.

    vibespec reports FILE [FILE ...] validates bodies (the same as vibespec reports check);
    vibespec reports pull fetches reports from GET /viber-bot/1/reports."""


def _register_check() -> None:
    reports_group.add_command(reports_cmd, "check")


_register_check()


@reports_group.command("pull")
@click.option("--limit", type=click.IntRange(1, 1000), default=1000, show_default=True, help="Reports per request.")
@click.option("--bulk-id", default=None, help="Only reports of this bulkId.")
@click.option("--message-id", default=None, help="Only the report of this messageId.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="Where raw pages are stored [default: .vibespec/reports, or send.reports].")
@click.option("--no-fetch", is_flag=True, help="Only summarise the pages already stored.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def reports_pull_cmd(limit, bulk_id, message_id, folder, no_fetch, config_path, fmt):
    """Fetch delivery reports from GET /viber-bot/1/reports until none are left, store each
    raw page before reading it (Infobip hands a report out only once), validate them, and
    count per spec and message: delivered, undeliverable, expired, rejected, pending."""
    from ..send import SendError, Store, join, pull_reports  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs
    from ..send.pull import format_join  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    settings = _settings(config_path, None)
    folder = folder or settings.reports
    pulled = None
    if not no_fetch:
        client = _client(settings)
        try:
            pulled = pull_reports(client, folder, limit=limit, retry=_retry(settings), bulk_id=bulk_id,
                                  message_id=message_id)
        except SendError as e:
            raise Fatal(client.redact(str(e))) from None
        finally:
            client.close()
    summary = join(Store(settings.receipts), folder)
    if pulled is not None:
        summary["pulled"] = {"reports": pulled.reports, "pages": pulled.pages}
    if fmt == "json":
        if pulled is not None:
            summary["diagnostics"] = [d.format_short() for d in pulled.diagnostics]
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        if pulled is not None:
            click.echo(f"pulled {pulled.reports} reports in {len(pulled.pages)} pages into {folder}")
            for d in pulled.diagnostics:
                click.echo(_safe(d.format_short()), err=True)
        click.echo(_safe(format_join(summary), newlines=True), nl=False)

    return 1 if pulled is not None and any(d.severity is Severity.ERROR for d in pulled.diagnostics) else 0


# --------------------------------------------------------------------------- logs


@click.command("logs")
@click.option("--bulk-id", multiple=True, help="Only this bulkId (repeat or comma-separate).")
@click.option("--message-id", multiple=True, help="Only this messageId (repeat or comma-separate).")
@click.option("--sender", default=None)
@click.option("--destination", default=None)
@click.option("--status", "general_status", default=None, help="ACCEPTED, PENDING, UNDELIVERABLE, DELIVERED, ...")
@click.option("--since", "sent_since", default=None, help="sentSince, e.g. 2026-11-25T00:00:00.000+0000.")
@click.option("--until", "sent_until", default=None)
@click.option("--limit", type=click.IntRange(1, 1000), default=1000, show_default=True, help="Entries per request.")
@click.option("--max", "max_entries", type=click.IntRange(1), default=None, help="Stop after this many entries.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def logs_cmd(bulk_id, message_id, sender, destination, general_status, sent_since, sent_until, limit, max_entries,
             config_path, fmt):
    """Read message logs (GET /viber-bot/1/logs: the last 48 hours), following the cursor
    page by page, at most 120 requests a minute."""
    from ..send import SendError, read_logs  # lazy: `vibespec lint` imports this module to register the command; the send package (http.client, ssl) loads only for send, reports pull and logs

    settings = _settings(config_path, None)
    client = _client(settings)
    split = lambda vals: [x for v in vals for x in v.split(",") if x] or None  # noqa: E731
    try:
        rows = read_logs(client, limit=limit, max_entries=max_entries, retry=_retry(settings),
                         bulk_id=split(bulk_id), message_id=split(message_id), sender=sender,
                         destination=destination, general_status=general_status, sent_since=sent_since,
                         sent_until=sent_until)
    except SendError as e:
        raise Fatal(client.redact(str(e))) from None
    finally:
        client.close()
    if fmt == "json":
        click.echo(json.dumps({"results": rows}, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        st = r.get("status") if isinstance(r.get("status"), dict) else {}
        click.echo(_safe(f"{r.get('sentAt', ''):<29} {str(r.get('bulkId', '')):<30} {str(r.get('messageId', '')):<40} "
                         f"{str(r.get('destination', '')):<20} {st.get('groupName', '')}/{st.get('name', '')}"))
    click.echo(f"{len(rows)} log entries", err=True)
    return 0


__all__ = ["logs_cmd", "reports_group", "send_cmd"]
