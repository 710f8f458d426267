"""Which chime plays when, and what plays it: the part of the sound the first frame needs.

``ChimePolicy`` decides (wrap-up: one strike, danger: two, time up: three; never for a segment
with ``sounds: off``, never when muted); a ``SoundSink`` plays. The sinks themselves
(``sound``, ``pulse_sound``) are imported after the first frame: they start an audio stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from runofshow.core.engine import Phase, PhaseChanged
from runofshow.resources import assets_dir

SOUND_FOR_PHASE = {Phase.WRAPUP: "wrapup", Phase.DANGER: "danger", Phase.OVERTIME: "timeup"}
SOUND_NAMES = ("wrapup", "danger", "timeup", "standby")


def sound_path(name: str) -> Path:
    return assets_dir() / "sounds" / f"{name}.wav"


class SoundSink(Protocol):
    """Plays a named chime; ``available`` is False when nothing would be heard."""

    available: bool

    def play(self, name: str) -> None: ...


class SilentSink:
    """No audio output: plays nothing and says so, so the window can show its badge."""

    available = False

    def play(self, name: str) -> None:
        """Nothing to play on; the visual alerts carry the message."""


class ChimePolicy:
    """Turns phase changes into chime names, honouring mute and per-segment ``sounds: off``."""

    def __init__(self) -> None:
        self.muted = False

    def chime_for(self, event: PhaseChanged, sounds_on: bool) -> str | None:
        name = SOUND_FOR_PHASE.get(event.new)
        if name is None or self.muted or not sounds_on:
            return None
        return name
