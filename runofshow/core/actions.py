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

ACTION_NAMES = frozenset(
    {START, PAUSE, RESUME, NEXT, PREVIOUS, GOTO, ADD_TIME, RESET, END, UNDO, RELOAD, MEDIA}
)


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


class Journal(Protocol):
    """Where actions are made durable. ``append`` returns only once the action is safe."""

    def append(self, action: Action) -> None: ...

    def actions(self) -> list[Action]: ...


class MemoryJournal:
    """A journal that lives only as long as the process: for tests, and the fallback when
    the state folder cannot be written (the app keeps timing and says so)."""

    def __init__(self, actions: list[Action] | None = None) -> None:
        self._actions: list[Action] = list(actions or [])

    def append(self, action: Action) -> None:
        self._actions.append(action)

    def actions(self) -> list[Action]:
        return list(self._actions)
