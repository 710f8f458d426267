"""What the MC's window shows at one instant, as plain strings: ``describe(now, ...)``.

Everything on screen is derived here from one ``Now`` reading, so a paint can never mix two
instants, and the tests can check words and phases without drawing. ``next_change_in`` says
how long until anything shown would change, which the repaint scheduler waits for instead of
ticking.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from runofshow._qt.i18n import Translator
from runofshow.core.agenda import Agenda, Segment
from runofshow.core.engine import Now, Phase, Status
from runofshow.core.fold import StageMessage
from runofshow.core.timefmt import countdown_text, hms, seconds_until_flip

FLASH_HALF_PERIOD_S = 0.25  # overtime flashes on/off twice a second (well under 3 Hz)
WAKE_MARGIN_S = 0.001  # wake just after a flip, never just before it

LocalTime = Callable[[float], dt.datetime]


@dataclass(frozen=True, slots=True)
class Display:
    """Every string and state the window draws for one instant."""

    countdown: str
    template: str  # widest text this countdown will show before its next size change
    visual: str  # "normal" | "wrapup" | "danger" | "overtime"
    flash_on: bool
    phase_word: str
    position: str  # "3 of 12"
    kind: str
    title: str
    subtitle: str
    speaker: str
    limit: str  # "limit 5:00" for a segment with a hard limit
    next_line: str
    next_time: str
    clock: str  # time of day to the minute (see ``next_change_in``)
    drift: str
    end_line: str
    over_limit: str  # names the segment and how far over its limit it is, else ""
    progress: float
    status: Status
    index: int
    rehearsal: str  # "REHEARSAL ×60" in a rehearsal, else ""
    blackout: bool = False  # the speaker's screen is dark
    message: StageMessage | None = None  # the line on the speaker's screen
    acknowledged: int | None = None  # the segment whose cue's GO the stage manager fired
    # Roll mode: who moves the show on, the clock (ROLL) or the keys since R took it over;
    # "" for a show with nothing to roll.
    roll: str = ""


def flash_on(now: Now) -> bool:
    """Whether overtime's flash is in its bright half; measured in real seconds so that a 60x
    rehearsal flashes at the same 2 Hz as a live show."""
    if now.phase is not Phase.OVERTIME or now.status is not Status.RUNNING:
        return True
    real_over = now.overtime_s / now.speed
    return math.floor(real_over / FLASH_HALF_PERIOD_S) % 2 == 0


def countdown_template(now: Now) -> str:
    """The widest text of this countdown's present sign, with every digit an 8.

    The digits are sized to the template, not to the text, so ``9:59`` after ``10:00`` keeps
    its size; the size changes only when overtime starts or passes ten minutes."""
    if now.remaining_s > 0:
        sign, widest = "", hms(max(now.allowance_s, now.remaining_s))
    else:
        sign, widest = "+", hms(max(now.overtime_s, 599))
    return sign + "".join("8" if c.isdigit() else c for c in widest)


def phase_word(now: Now, tr: Translator) -> str:
    """The phase in words, so it reads without colour; before a roll segment starts by
    itself, how long until it does."""
    if now.starts_at is not None:
        return tr("phase.starts_in", t=countdown_text(max(0.0, now.starts_at - now.wall)))
    if now.status in (Status.READY, Status.WAITING):
        return tr("phase.ready")
    if now.status is Status.ENDED:
        return tr("phase.ended")
    if now.status is Status.PAUSED:
        return tr("phase.paused")
    if now.phase is Phase.OVERTIME:
        return tr("phase.overtime", over=countdown_text(now.remaining_s))
    return tr(f"phase.{now.phase.value}") if now.phase is not Phase.IDLE else ""


def roll_badge(now: Now, agenda: Agenda, tr: Translator) -> str:
    """Whether the clock starts the roll segments or the MC has taken them over with R: the
    screens look the same either way until a segment fails to start by itself."""
    if not agenda.rolls:
        return ""
    return tr("badge.rolling") if now.rolling else tr("badge.roll_taken")


def visual_state(now: Now) -> str:
    """The colour scheme: the phase while a segment runs or is paused, normal otherwise."""
    if now.phase in (Phase.WRAPUP, Phase.DANGER, Phase.OVERTIME):
        return now.phase.value
    return "normal"


def drift_words(drift_s: float, tr: Translator) -> str:
    whole = round(drift_s)
    if whole == 0:
        return tr("drift.on_time")
    return tr("drift.behind" if whole > 0 else "drift.ahead", t=hms(abs(whole)))


def segment_label(segment: Segment) -> str:
    """Title with the speaker, for one-line mentions (the next line, the over-limit line)."""
    return f"{segment.speaker} — {segment.title}" if segment.speaker else segment.title


def over_limit_line(now: Now, tr: Translator) -> str:
    """In overtime, the control area names the segment and how far over its limit it is
    (or, when the MC took all its time away, that it was removed: there is no 0:00 limit)."""
    if now.phase is not Phase.OVERTIME:
        return ""
    title, over = segment_label(now.segment), hms(now.overtime_s)
    if now.allowance_s <= 0:
        return tr("over_limit.removed", title=title, over=over)
    return tr("over_limit", title=title, over=over, limit=hms(now.allowance_s))


def next_lines(now: Now, agenda: Agenda, local_time: LocalTime, tr: Translator) -> tuple[str, str]:
    if now.next_index is None:
        return tr("next.none"), ""
    upcoming = agenda.segments[now.next_index]
    when = ""
    if now.next_projected_start is not None:
        when = tr("next.at", time=local_time(now.next_projected_start).strftime("%H:%M"))
    return f"{tr('next')} {segment_label(upcoming)}", when


def ended_lines(now: Now, local_time: LocalTime, tr: Translator) -> tuple[str, str, str]:
    """The show is over: the big digits say when it ended (a time of day, h:mm:ss, so it
    never reads as a countdown), the next line against the plan."""
    ended = local_time(now.projected_end)
    big = f"{ended.hour:02d}:{ended.minute:02d}:{ended.second:02d}"
    planned = local_time(now.planned_end).strftime("%H:%M")
    line = tr("ended.against_plan", planned=planned, drift=drift_words(now.drift_s, tr))
    return big, line, tr("ended.at", time=big)


def describe(now: Now, agenda: Agenda, local_time: LocalTime, tr: Translator) -> Display:
    """The whole window's content at the instant ``now`` was read."""
    seg = now.segment
    next_line, next_time = next_lines(now, agenda, local_time, tr)
    countdown, template = countdown_text(now.remaining_s), countdown_template(now)
    end_line = tr(
        "end.projected",
        projected=local_time(now.projected_end).strftime("%H:%M:%S"),
        planned=local_time(now.planned_end).strftime("%H:%M"),
    )
    if now.status is Status.ENDED:
        countdown, next_line, end_line = ended_lines(now, local_time, tr)
        template, next_time = "88:88:88", ""
    return Display(
        countdown=countdown,
        template=template,
        visual=visual_state(now),
        flash_on=flash_on(now),
        phase_word=phase_word(now, tr),
        position=tr("segment.of", n=now.index + 1, total=len(agenda.segments)),
        kind=tr(f"kind.{seg.kind.value}"),
        title=seg.title,
        subtitle=seg.subtitle or "",
        speaker=seg.speaker or "",
        limit=tr("limit", limit=hms(seg.limit_s)) if seg.limit_s is not None else "",
        next_line=next_line,
        next_time=next_time,
        clock=local_time(now.wall).strftime("%H:%M"),
        drift=drift_words(now.drift_s, tr),
        end_line=end_line,
        over_limit=over_limit_line(now, tr),
        progress=1.0 if now.status is Status.ENDED else max(0.0, now.progress),
        status=now.status,
        index=now.index,
        rehearsal=tr("badge.rehearsal", speed=f"{now.speed:g}") if now.mode == "rehearsal" else "",
        blackout=now.blackout,
        message=now.message,
        acknowledged=now.acknowledged,
        roll=roll_badge(now, agenda, tr),
    )


def next_change_in(now: Now) -> float:
    """Real seconds until anything ``describe`` shows would change by time alone.

    The countdown flips on whole show seconds, overtime's flash every quarter of a real second,
    the time of day on whole wall minutes; the earliest of them, plus a millisecond so that
    the wake lands after the flip.

    The time of day is shown to the minute, like the programme and every clock in a venue.
    With seconds it flipped on the wall's second boundaries, which fall between the
    countdown's (a segment starts when the MC presses the key): two wakes and two repaints a
    second instead of one, for a digit nobody on stage times anything by. Paused or not yet
    started, the drift and the projected end move with the wall clock, so the wake stays on
    its seconds then."""
    speed = now.speed
    waits = [(60.0 - math.fmod(now.wall, 60.0)) / speed]
    if now.status is Status.RUNNING:
        waits.append(seconds_until_flip(now.remaining_s, speed))
        if now.phase is Phase.OVERTIME:
            real_over = now.overtime_s / speed
            waits.append(FLASH_HALF_PERIOD_S - math.fmod(real_over, FLASH_HALF_PERIOD_S))
    else:
        waits.append((1.0 - (now.wall - math.floor(now.wall))) / speed)
    return max(min(waits), 0.0) + WAKE_MARGIN_S
