"""Spec-aware scheduling rules from the delivery plan (VB450-VB455), and the window written
backwards (VB456).

These rules run the simulation of :mod:`vibespec.planner` (``sendAt`` or now, the request-wide
``sendingSpeedLimit``, each message's UTC ``deliveryTimeWindow`` and ``validityPeriod``) on
the compiled body together with what only the spec knows (the zone a window was written in,
the date its UTC conversion used). They apply to specs only (``inputs = {"spec"}``): a raw
body has no local windows. The simulation runs once per lint and is shared by the rules.

Semantics in short (the full statement is in :mod:`vibespec.planner` and ``docs/plan.md``):
sending starts at ``send_at`` (or now); at most N messages leave per speed-limit unit,
counted from the start, request-wide and in body order; a message leaves only while its
window is open (UTC days, ``from``-``to``); each leaves as early as those rules allow; a
destination not sent before ``start + validity`` (48 h by default, capped at 48 h) expires.
"""

from __future__ import annotations

from typing import Iterable

from .. import codes
from .base import Finding, Rule, RuleContext


def windows_written_backwards(ctx: RuleContext) -> dict[int, tuple]:
    """Body index -> the message's window facts, for every window whose ``to`` is before its
    ``from`` as written in the spec (in the zone it was written in). Empty for raw bodies.

    Such a window is ``window-ends-before-start`` (an error); the rules that would otherwise
    describe the same mistake from other sides (``window-crosses-midnight``,
    ``window-crosses-midnight-utc``, ``send-at-outside-window``) skip these messages."""
    if "backwards" in ctx._memo:
        return ctx._memo["backwards"]
    out: dict[int, tuple] = {}
    for mf in getattr(ctx.facts, "messages", None) or ():
        wf = getattr(mf, "window", None)
        if wf is not None and written_backwards(wf):
            out[mf.index] = wf
    ctx._memo["backwards"] = out
    return out


def written_backwards(wf) -> bool:
    """Whether a window's ``to`` is before its ``from`` as written (its own zone)."""
    f, t = getattr(wf, "local_from", None), getattr(wf, "local_to", None)
    return f is not None and t is not None and tuple(t) < tuple(f)


def _needs_plan(ctx: RuleContext) -> bool:
    """Only windows and speed limits can make any of these rules fire."""
    sched = ctx.schedule()
    if sched is not None and sched[1].get("sendingSpeedLimit") is not None:
        return True
    return any(isinstance(o.get("deliveryTimeWindow"), dict) for _, o in ctx.message_options())


def _plan(ctx: RuleContext):
    """One simulation per lint, shared by the six rules (kept on the context)."""
    if "plan" in ctx._memo:
        return ctx._memo["plan"]
    p = None
    if ctx.facts is not None and isinstance(ctx.body, dict) and _needs_plan(ctx):
        from ..planner import plan_body  # lazy: the planner only for a spec whose plan a rule needs

        try:
            p = plan_body(ctx.body, ctx.facts, now=ctx.now)
        except Exception:  # a rule never crashes the lint; the plan command reports problems
            p = None
    ctx._memo["plan"] = p
    return p


class _PlanRule(Rule):
    inputs = frozenset({"spec"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        p = _plan(ctx)
        if p is None:
            return
        for w in p.warnings:
            if w.code == self.code:
                # key=True: a block-style window or speed_limit is reported on its key line
                yield Finding(w.path, w.message, w.help, key=True)


class ExpiresBeforeWindowRule(_PlanRule):
    """A message's validity ends before its delivery window first opens, so it is never sent.

    Why: Infobip holds a message outside its ``deliveryTimeWindow`` and drops it when its
    ``validityPeriod`` (48 h when not set) has elapsed. When the window first opens only
    after the validity ends (counted from ``send_at``, or now), every destination of the
    message expires unsent, silently. Typical causes: a short validity with ``send_at`` on a
    Friday evening and a weekday window, or a window in the wrong zone.

    Source: constraints.md §3 (validityPeriod: capped at 48 h; messages outside the window
    are not delivered until it opens) and §5 (windows are UTC); vibespec's delivery plan.

    Decision: validity is counted from ``send_at`` (or now). The diagnostic points at the
    message's ``validity`` (or its ``window`` when validity is Infobip's default).

    Fails (send_at on Friday 2026-11-27 18:00 UTC, window opens Monday):

        send_at: 2026-11-27T18:00:00Z
        defaults: {sender: DemoBot, validity: 2h, window: {days: weekdays, from: "09:00", to: "17:00"}}

    Passes:

        send_at: 2026-11-30T09:00:00Z
        defaults: {sender: DemoBot, validity: 2h, window: {days: weekdays, from: "09:00", to: "17:00"}}
    """

    code, name, severity = codes.VB450


class CampaignExceedsValidityRule(_PlanRule):
    """With the speed limit, the last destinations would be sent after their validity ends.

    Why: ``sendingSpeedLimit`` applies to the whole request. With many destinations, a low
    limit (or a narrow window) stretches the campaign; destinations still waiting when the
    message's ``validityPeriod`` (48 h when not set) elapses expire unsent. The plan sends
    each message as early as the limit and window allow, so the expiries it reports are
    certain; it names how many and the smallest limit (same unit) that sends everything.

    Source: constraints.md §3 (sendingSpeedLimit is messages per unit; validityPeriod capped
    at 48 h); vibespec's delivery plan.

    Decision: one diagnostic per request, on ``speed_limit`` (on the validity when there is
    no speed limit). A message whose window never opens within its validity is
    ``expires-before-window`` instead.

    Fails:

        speed_limit: 10/hour
        defaults: {sender: DemoBot, validity: 1h}
        messages: [{to: [u1, u2, ..., u50], text: Hi}]   # 10 sent, 40 expire

    Passes:

        speed_limit: 100/hour
        defaults: {sender: DemoBot, validity: 1h}
        messages: [{to: [u1, u2, ..., u50], text: Hi}]
    """

    code, name, severity = codes.VB451


class WindowDstShiftRule(_PlanRule):
    """A window written in a local zone shifts by an hour at a DST change inside the campaign.

    Why: Infobip's window is UTC only. vibespec converts a local window (``timezone`` or the
    window's own ``timezone``) to UTC for the date of ``send_at``. When the zone changes its
    UTC offset while the campaign is still sending (between ``send_at`` and the message's
    last send), Infobip keeps the same UTC hours, so after the change users get the message
    one hour earlier or later in local time. The diagnostic names the date of the change and
    the local times users really get. Europe and America switch on different dates.

    Source: constraints.md §5 (deliveryTimeWindow is UTC only; no zone field); IANA tz data.

    Decision: only windows that actually send after the change are reported (from the plan),
    on the message's ``window``.

    Fails (Europe switches on 2027-03-28):

        send_at: 2027-03-27T10:00:00+01:00
        speed_limit: 100/day
        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: daily, from: "09:00", to: "17:00"}}
        messages: [{to: [u1, u2, ..., u150], text: Hi}]

    Passes:

        send_at: 2027-03-29T10:00:00+02:00
        speed_limit: 100/day
        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: daily, from: "09:00", to: "17:00"}}
        messages: [{to: [u1, u2, ..., u150], text: Hi}]
    """

    code, name, severity = codes.VB452


class WindowCrossesMidnightUtcRule(_PlanRule):
    """A local window crosses midnight UTC after conversion; says what Infobip receives.

    Why: a window such as 04:00-10:00 in Asia/Kolkata (UTC+05:30) becomes 22:30-04:30 UTC,
    with its days moved back a day. Infobip receives a ``to`` earlier than ``from``, which
    it does not document. The note spells out the exact days, ``from`` and ``to`` Infobip
    gets, so you can check them (``window-crosses-midnight`` warns about the UTC window
    itself).

    Source: constraints.md §3 (from/to are UTC; crossing midnight undocumented) and §5.

    Decision: info; vibespec plans such a window as opening on each listed UTC day and
    closing the next day, which matches the local window as written.

    Fails:

        timezone: Asia/Kolkata
        defaults: {sender: DemoBot, window: {days: weekdays, from: "04:00", to: "10:00"}}

    Passes:

        timezone: Asia/Kolkata
        defaults: {sender: DemoBot, window: {days: weekdays, from: "09:00", to: "17:00"}}
    """

    code, name, severity = codes.VB453


class SendAtOutsideWindowRule(_PlanRule):
    """``send_at`` is outside a message's delivery window, so sending waits until it opens.

    Why: Infobip does not send outside ``deliveryTimeWindow``; a ``sendAt`` outside it
    (compared in UTC, after converting both) silently delays the campaign, often by a
    weekend or a day, and shortens what is left of the validity. The diagnostic says when
    the window opens.

    Source: constraints.md §5 ("convert sendAt to UTC before checking whether it falls
    inside the window") and §3.

    Decision: one diagnostic per distinct window, on ``send_at``.

    Fails (2026-12-05 is a Saturday):

        send_at: 2026-12-05T10:00:00Z
        defaults: {sender: DemoBot, window: {days: weekdays, from: "09:00", to: "17:00"}}

    Passes:

        send_at: 2026-12-07T10:00:00Z
        defaults: {sender: DemoBot, window: {days: weekdays, from: "09:00", to: "17:00"}}
    """

    code, name, severity = codes.VB454


class WindowLocalDateDependentRule(_PlanRule):
    """A window in a DST zone was converted to UTC for the compile date (no ``send_at``).

    Why: without ``send_at`` vibespec converts a local window to UTC using the day you
    compile. In a zone with daylight saving time the result depends on that day: compiled in
    winter and sent in summer, the window is an hour off. The note names the compile date and
    what the window becomes after the next change.

    Source: constraints.md §5 (windows are UTC only); IANA tz data.

    Decision: info, on the window; zones without DST (Asia/Kolkata, fixed offsets) are not
    reported.

    Fails:

        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: weekdays, from: "09:00", to: "17:00"}}

    Passes:

        send_at: 2026-12-01T09:00:00+01:00
        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: weekdays, from: "09:00", to: "17:00"}}
    """

    code, name, severity = codes.VB455


def _hm(hm: tuple) -> str:
    return f"{hm[0]:02d}:{hm[1]:02d}"


class WindowEndsBeforeStartRule(Rule):
    """A delivery window ends before it starts, as written (``from: "20:00", to: "08:00"``).

    Why: Infobip documents a ``deliveryTimeWindow`` as the listed days, with ``from`` the time
    of day the window opens and ``to`` the time it closes (UTC). A window whose ``to`` comes
    before its ``from`` has no documented meaning: it may be rejected, never open, or (as
    vibespec's plan assumes) run overnight into the next day. Usually the two times are
    swapped; when a night window is meant, what is sent depends on undocumented behaviour.
    The check is on the window as written, in the zone it was written in (the spec's or the
    window's ``timezone``, else UTC), whatever the UTC conversion makes of it.

    Source: constraints.md §3 (from/to: the window opens at ``from`` and closes at ``to``,
    UTC; a window crossing midnight is undocumented); OpenAPI DeliveryTimeWindow, DeliveryTime.

    Decision: an error, because what the author wrote cannot be one Infobip window as Infobip
    documents them, and the messages might go out overnight. It is reported once, on ``to``;
    ``window-crosses-midnight``, ``window-crosses-midnight-utc`` and ``send-at-outside-window``
    do not report the same window again. A window that only crosses midnight UTC after its
    conversion from a local zone (04:00-10:00 Asia/Kolkata) is written correctly and stays
    ``window-crosses-midnight-utc``. Raw bodies have no written form; for them
    ``window-crosses-midnight`` warns.

    Fails:

        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: daily, from: "20:00", to: "08:00"}}

    Passes:

        timezone: Europe/Berlin
        defaults: {sender: DemoBot, window: {days: daily, from: "08:00", to: "20:00"}}
    """

    code, name, severity = codes.VB456
    inputs = frozenset({"spec"})

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for index, wf in sorted(windows_written_backwards(ctx).items()):
            f, t = _hm(wf.local_from), _hm(wf.local_to)
            where = f" ({wf.zone})" if wf.zone else ""
            yield Finding(("messages", index, "options", "deliveryTimeWindow", "to"),
                          f"delivery window ends before it starts: 'to' {t} is earlier than 'from' {f}{where}; "
                          "Infobip opens a window at 'from' and closes it at 'to' on each listed day and does "
                          "not document one that runs past midnight",
                          f"if the times are swapped, write from: \"{t}\", to: \"{f}\"; to send at night, keep "
                          f"the window within one day (e.g. from: \"{f}\", to: \"23:59\"), or drop the window and "
                          "set send_at to when sending should start",
                          key=True)


RULES = (
    ExpiresBeforeWindowRule,
    CampaignExceedsValidityRule,
    WindowDstShiftRule,
    WindowCrossesMidnightUtcRule,
    SendAtOutsideWindowRule,
    WindowLocalDateDependentRule,
    WindowEndsBeforeStartRule,
)
