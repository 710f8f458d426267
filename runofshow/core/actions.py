"""Operator actions as journal entries, and the journal interface the engine writes them to.

An action is what an operator did and when, on every clock we know: ``t`` on the show clock
(the axis all intervals are measured on), the real boot-time reading and boot id (so a restart
on the same boot measures the gap exactly), and the wall time (so a restart after a reboot can
still place it). The engine appends each action to the journal *before* it takes effect; the
live state is a fold of the journal (``runofshow.core.fold``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# Every action name the engine journals. Kept as plain strings: they are stored on disk and
# must stay readable by later versions.
START = "start"
PAUSE = "pause"
RESUME = "resume"
NEXT = "next"
PREVIOUS = "previous"
GOTO = "goto"
ADD_TIME = "add_time"
RESET = "reset"
END = "end"
UNDO = "undo"
RELOAD = "reload"
MEDIA = "media"  # a video segment's real length, known once its file is opened
# Planning the show as it runs: a plan sets some segments' slots (a landing plan, an applied
# what-if; args: slots, a list of [index, seconds]); roll hands the starts of roll-mode
# segments to the clock or takes them over by key (args: on). Both are the operator's, and
# an undo takes them back like any timing key.
PLAN = "plan"
ROLL = "roll"
# What the stage shows besides the time: journaled like the timing actions, so a restart, the
# report and a second machine all see them, but never taken back by an undo (below).
BLACKOUT = "blackout"  # the speaker's screen dark (args: on)
MESSAGE = "message"  # a line on the speaker's screen (args: text, flash; text "" clears it)
ACKNOWLEDGE = "acknowledge"  # the stage manager has fired the cue at GO (args: index)

ACTION_NAMES = frozenset(
    {START, PAUSE, RESUME, NEXT, PREVIOUS, GOTO, ADD_TIME, RESET, END, UNDO, RELOAD, MEDIA}
    | {BLACKOUT, MESSAGE, ACKNOWLEDGE, PLAN, ROLL}
)
# What an undo never takes back: a reload (the file on disk is the truth), a video's measured
# length (the file's, not an operator's), and what the stage shows besides the time. Undo is
# the MC's "take back that key", and the key an MC takes back is a timing one: an undo meant
# for a stray "next" must not switch the stage manager's message off instead.
NOT_UNDONE = frozenset({RELOAD, MEDIA, BLACKOUT, MESSAGE, ACKNOWLEDGE})
# Where an action came from when nobody commanded it: the app itself.
APP_SOURCE = "app"
# Actions that change what the stage shows, not when anything happens.
PRESENTATION = frozenset({BLACKOUT, MESSAGE, ACKNOWLEDGE})


@dataclass(frozen=True, slots=True)
class Action:
    """One journaled operator action."""

    seq: int  # 1-based position in the journal of this show
    name: str
    t: float  # show clock reading when it happened
    wall: float  # wall clock (epoch seconds) when it happened
    mono: float  # real boot-time clock reading when it happened
    boot_id: str
    args: dict[str, Any] = field(default_factory=dict)
    # Where it came from: "key", "menu", "http", "ws", "osc" for an operator's command, "app"
    # for what the app journals by itself (a reload of the edited file, a video's length);
    # "" in journals written before sources were recorded.
    source: str = ""


class Journal(Protocol):
    """Where actions are made durable. ``append`` returns only once the action is safe.
    ``term`` is the term of the show this machine journals in (0 until a takeover; a
    journal that is not shared keeps 0)."""

    term: int

    def append(self, action: Action) -> None: ...

    def actions(self) -> list[Action]: ...


class MemoryJournal:
    """A journal that lives only as long as the process: for tests, and the fallback when
    the state folder cannot be written (the app keeps timing and says so)."""

    def __init__(self, actions: list[Action] | None = None) -> None:
        self._actions: list[Action] = list(actions or [])
        self.term = 0

    def append(self, action: Action) -> None:
        self._actions.append(action)

    def actions(self) -> list[Action]:
        return list(self._actions)
