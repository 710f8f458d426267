"""The show's state as one JSON document: what ``/api/state``, the WebSocket feed, the browser
views and OSC out all read, so that every screen in the room agrees on one definition.

It is computed from one ``Now`` reading and the engine's ``Timeline``, like the MC's window, and
it carries *instants* rather than only durations. A remote screen that was told "4:59 left"
would show it late by the network's delay and then drift with its own timer; told instead
"the countdown reaches zero at server-clock instant Z", it computes the remaining time itself
at every frame from its own clock plus a measured offset, flips on the true second boundary,
and needs a new document only when the *state* changes (an action, a phase, a segment, a
message), not every second.

The server clock of the document is the machine's real monotonic clock (``clock.server``), the
same one the offset exchange reads, so a wall-clock jump on the laptop cannot move a remote
countdown. Show time runs ``clock.speed`` times faster than it in a rehearsal: a client maps
server seconds to show seconds by that factor.

Projected times move by themselves in overtime and while paused or before the start; the
document gives the rule instead of a stream of values: the current segment is projected to
end at ``max(projection.floor, wall_now + projection.hold_s)`` (either may be null), and each
later segment starts at that cursor, or at its fixed start if later, and lasts its
``slot_s`` (the engine's own ``timeline`` walk, which the views repeat in a few lines).

Nothing private leaves through it: no cue command, no file path, no notes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from runofshow.core.agenda import Segment
from runofshow.core.cues import CueState, cue_status, standby_target
from runofshow.core.engine import Now, Phase, SegmentTimes, ShowEngine, Status
from runofshow.core.zones import show_zone

DOCUMENT_VERSION = 1

Json = dict[str, Any]


def real_clock_now(engine: ShowEngine) -> float:
    """The machine's monotonic clock under the show clock (a rehearsal's real clock)."""
    return getattr(engine.clock, "real", engine.clock).monotonic()


def state_key(engine: ShowEngine, now: Now) -> tuple[object, ...]:
    """Everything whose change must be pushed to the remote screens: what no client can work
    out from the last document's instants by itself. Time alone changes it only at a phase
    boundary, a segment boundary (an automatic advance) or a cue turning STANDBY or GO."""
    status = cue_status(engine, now)
    return (
        id(engine),
        engine.agenda,
        len(engine.actions),
        now.status,
        now.index,
        now.phase,
        now.blackout,
        now.message,
        now.acknowledged,
        None if status is None else (status.index, status.state),
    )


def state_document(
    engine: ShowEngine,
    now: Now | None = None,
    *,
    server_now: float | None = None,
    extra: Json | None = None,
) -> Json:
    """The document for the instant ``now`` was read (default: this instant).

    ``server_now`` is the real clock's reading at the same instant (read it right after
    ``now`` if you pass one); ``extra`` is merged in at the top (the server adds its language
    and serial number)."""
    now = engine.now() if now is None else now
    server = real_clock_now(engine) if server_now is None else server_now
    to_server = _to_server(now, server)
    timeline = engine.timeline()
    agenda = engine.agenda
    doc: Json = {
        "kind": "state",
        "version": DOCUMENT_VERSION,
        "clock": {
            "server": server,
            "show": now.t,
            "wall": now.wall,
            "speed": now.speed,
            "utc_offset_s": _utc_offset(engine, now.wall),
        },
        "show": {
            "title": agenda.event.title,
            "subtitle": agenda.event.subtitle,
            "venue": agenda.event.venue,
            "date": engine.show_date.isoformat(),
            "mode": now.mode,
            "status": now.status.value,
            "segments": len(agenda.segments),
            "actions": len(engine.actions),
            "planned_end": now.planned_end,
            # roll mode: the server instant the waiting segment starts by itself
            "starts_at": None if now.starts_at is None else to_server(now.starts_at - now.wall),
        },
        "current": _current(now),
        "countdown": _countdown(now, to_server),
        "next": _next(engine, now),
        "drift_s": now.drift_s,
        "projected_end": timeline.projected_end,
        "planned_end": timeline.planned_end,
        "projection": _projection(engine, now),
        "blackout": now.blackout,
        "message": None
        if now.message is None
        else {"text": now.message.text, "flash": now.message.flash, "seq": now.message.seq},
        "cue": _cue(engine, now, to_server),
        "segments": [_row(engine, times) for times in timeline.segments],
        "groups": [
            {"index": g.index, "title": g.title, "first": g.first, "last": g.last}
            for g in agenda.groups
        ],
    }
    if extra:
        doc.update(extra)
    return doc


def _to_server(now: Now, server: float) -> Callable[[float], float]:
    """Show seconds from now -> the server-clock instant they elapse at."""
    return lambda show_s: server + show_s / now.speed


def _utc_offset(engine: ShowEngine, wall: float) -> int:
    """The show's time zone offset now, so a browser anywhere shows the venue's time."""
    offset = engine.local_time(wall).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def _segment(segment: Segment) -> Json:
    """What a remote screen may show of a segment (never its cue command, file or notes)."""
    return {
        "index": segment.index,
        "number": segment.index + 1,
        "id": segment.id,
        "title": segment.title,
        "subtitle": segment.subtitle,
        "speaker": segment.speaker,
        "kind": segment.kind.value,
        "group": segment.group,
        "cue": None if segment.cue is None else segment.cue.text,
    }


def _current(now: Now) -> Json:
    seg = now.segment
    return {
        **_segment(seg),
        "allowance_s": now.allowance_s,
        "elapsed_s": now.elapsed_s,
        "remaining_s": now.remaining_s,
        "phase": now.phase.value,
        "wrapup_s": seg.wrapup_s,
        "danger_s": seg.danger_s,
        "limit_s": seg.limit_s,
        "duration_s": seg.duration_s,
    }


def _countdown(now: Now, to_server: Callable[[float], float]) -> Json:
    """The countdown as instants on the server clock while it runs; as it stands otherwise.

    ``zero_at`` is when it reads 0:00 (overtime counts up from there); ``wrapup_at`` and
    ``danger_at`` when those phases begin (null if already begun or not applicable)."""
    running = now.status is Status.RUNNING
    seg = now.segment

    def at(threshold: float) -> float | None:
        if not running or now.remaining_s <= threshold:
            return None
        return to_server(now.remaining_s - threshold)

    return {
        "running": running,
        "remaining_s": now.remaining_s,
        "zero_at": to_server(now.remaining_s) if running else None,
        "wrapup_at": at(seg.wrapup_s) if now.phase is Phase.NORMAL else None,
        "danger_at": at(seg.danger_s) if now.phase in (Phase.NORMAL, Phase.WRAPUP) else None,
    }


def _next(engine: ShowEngine, now: Now) -> Json | None:
    if now.next_index is None:
        return None
    return {
        **_segment(engine.agenda.segments[now.next_index]),
        "projected_start": now.next_projected_start,
    }


def _projection(engine: ShowEngine, now: Now) -> Json:
    """The rule for the current segment's projected end (``max(floor, wall + hold_s)``)."""
    timeline = engine.timeline()
    if now.status is Status.ENDED:
        return {"floor": timeline.projected_end, "hold_s": None}
    current = timeline.segments[now.index]
    slot_left = max(0.0, current.projected_end - max(current.projected_start, now.wall))
    if now.status is Status.RUNNING:  # its slot's end, or now once it runs over
        return {"floor": current.projected_end, "hold_s": 0.0}
    if now.status is Status.PAUSED:
        return {"floor": None, "hold_s": current.projected_end - now.wall}
    return {"floor": current.projected_end, "hold_s": slot_left}


def _row(engine: ShowEngine, times: SegmentTimes) -> Json:
    segment = engine.agenda.segments[times.index]
    return {
        **_segment(segment),
        "state": times.state,
        "planned_start": times.planned_start,
        "planned_end": times.planned_end,
        "projected_start": times.projected_start,
        "projected_end": times.projected_end,
        "actual_start": times.actual_start,
        "actual_end": times.actual_end,
        "slot_s": times.projected_end - times.projected_start,  # what a later row lasts
        "fixed_at": _fixed_at(engine, segment),
        "over_limit_s": times.over_limit_s,
        "added_s": times.added_s,
    }


def _fixed_at(engine: ShowEngine, segment: Segment) -> float | None:
    """The wall instant of a segment's fixed start on the show's day, if it has one."""
    if segment.fixed_start_s is None:
        return None
    midnight = dt.datetime.combine(engine.show_date, dt.time(0), tzinfo=show_zone_of(engine))
    return (midnight + dt.timedelta(seconds=segment.fixed_start_s)).timestamp()


def show_zone_of(engine: ShowEngine) -> dt.tzinfo | None:
    return show_zone(engine.agenda.event.timezone)


def _cue(engine: ShowEngine, now: Now, to_server: Callable[[float], float]) -> Json | None:
    """The cue the stage manager watches, as the stage manager's window shows it.

    At GO (its segment has started and nobody has acknowledged it): ``state`` "go", and it
    stays until the acknowledgement (an action, so a new document). Otherwise the coming cue:
    ``go_at`` is the server instant its segment is projected to start (the STANDBY countdown
    reaches 0:00 there and holds while the segment before runs over), ``standby_at`` when
    STANDBY begins; both null while nothing counts (paused), and ``until_go_s`` is the
    countdown as it stands. GO itself only comes with the segment's start: an action or an
    automatic advance, each a new document."""
    status = cue_status(engine, now)
    if status is not None and status.state is CueState.GO:
        return _cue_json(engine, status.index, "go", 0.0, None, None)
    target = standby_target(engine, now)
    if target is None:
        return None
    index, until = target
    cue = engine.agenda.segments[index].cue
    if cue is None:
        return None
    counting = now.status is not Status.PAUSED
    standby = status is not None and status.index == index
    return _cue_json(
        engine,
        index,
        "standby" if standby else None,
        max(0.0, until),
        to_server(until) if counting and until > 0 else None,
        to_server(until - cue.standby_s) if counting and until > cue.standby_s else None,
    )


def _cue_json(
    engine: ShowEngine,
    index: int,
    state: str | None,
    until: float,
    go_at: float | None,
    standby_at: float | None,
) -> Json:
    segment = engine.agenda.segments[index]
    assert segment.cue is not None
    return {
        "index": index,
        "number": index + 1,
        "text": segment.cue.text,
        "kind": segment.kind.value,
        "standby_s": segment.cue.standby_s,
        "state": state,
        "until_go_s": until,
        "go_at": go_at,
        "standby_at": standby_at,
    }


def countdown_seconds_left(doc: Json, server_now: float) -> float:
    """Show seconds left on the document's countdown at server-clock instant ``server_now``
    (what a client computes): the OSC sender and the tests use this same reading."""
    countdown = doc["countdown"]
    if countdown["zero_at"] is None:
        return float(countdown["remaining_s"])
    return float((countdown["zero_at"] - server_now) * doc["clock"]["speed"])


def whole_seconds(remaining: float) -> int:
    """Signed whole seconds as shown: rounded up counting down, down counting up."""
    if remaining > 0:
        return math.ceil(remaining - 1e-9)
    return -math.floor(-remaining + 1e-9)


def projected_starts(doc: Json, wall_now: float) -> list[float]:
    """Every segment's projected start at wall instant ``wall_now``, from the document alone:
    the reference for the browser views' few lines of JavaScript (``views/show.js``), held
    against the engine's ``timeline`` by the tests. Past rows and a started current row keep
    theirs."""
    rows = doc["segments"]
    projection = doc["projection"]
    floor, hold = projection["floor"], projection["hold_s"]
    cursor = max(
        -math.inf if floor is None else floor, -math.inf if hold is None else wall_now + hold
    )
    # A segment that has not started (before the show, or a roll show between segments)
    # starts now at the earliest.
    waiting = doc["show"]["status"] in ("ready", "waiting")
    starts: list[float] = []
    for row in rows:
        if row["state"] == "current" and waiting:
            starts.append(max(row["projected_start"], wall_now))
            continue
        if row["state"] != "future":
            starts.append(row["projected_start"])
            continue
        start = cursor if row["fixed_at"] is None else max(cursor, row["fixed_at"])
        starts.append(start)
        cursor = start + row["slot_s"]
    return starts


def projected_end(doc: Json, wall_now: float) -> float:
    """The show's projected end at ``wall_now``, by the same walk."""
    rows = doc["segments"]
    if doc["show"]["status"] == "ended" or not rows:
        return float(doc["projected_end"])
    starts = projected_starts(doc, wall_now)
    last = rows[-1]
    if last["state"] == "future":
        return float(starts[-1] + last["slot_s"])
    projection = doc["projection"]
    floor, hold = projection["floor"], projection["hold_s"]
    return float(
        max(-math.inf if floor is None else floor, -math.inf if hold is None else wall_now + hold)
    )
