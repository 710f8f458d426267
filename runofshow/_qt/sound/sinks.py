"""The sinks that play the chimes without holding up the UI (``chimes`` says which one when).

The real sinks are loaded after
the first frame (``load_sound_sink``), because an audio stack takes a moment to start and a
machine may have no audio device at all: then the window shows a "no sound" badge and every
visual alert still works.

- ``PulseSink`` (``pulse_sound``): on Linux, PulseAudio's client library through ctypes, each
  chime on its own stream in a worker thread. Chosen over QtMultimedia there because
  QtMultimedia loads Qt's FFmpeg backend: 17 to 40 MB resident just for four short chimes.
- ``QtSoundSink``: QSoundEffect, in process, each WAV preloaded, ``play()`` returns at once;
  on Windows and macOS, and on a Linux without libpulse.
- ``PlaysoundSink``: when QtMultimedia cannot be imported; playsound3 is imported lazily in a
  worker thread (it probes for players at import) and each chime plays in its own thread.
- ``chimes.SilentSink``: before the real sink is loaded, and when there is no output device.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal

from runofshow._qt.sound.chimes import SOUND_NAMES, SoundSink, sound_path

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

logger = logging.getLogger(__name__)


class PlaysoundSink(QObject):
    """playsound3 in background threads, for a Qt without QtMultimedia.

    ``availability_changed`` is emitted from those threads when playsound3 turns out to have
    no usable player; connected to a QObject's method it is queued to the GUI thread, so the
    window's NO SOUND badge appears however late the failure comes.
    """

    availability_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = True
        self._player: Callable[..., object] | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._import, name="playsound3-import", daemon=True).start()

    def _import(self) -> None:
        try:
            from playsound3 import playsound

            self._player = playsound
        except Exception:  # no usable player on this machine: stay silent, never crash
            logger.warning("playsound3 has no usable player here", exc_info=True)
            self._unavailable()
        finally:
            self._ready.set()

    def play(self, name: str) -> None:
        threading.Thread(target=self._play, args=(name,), name=f"chime-{name}", daemon=True).start()

    def _play(self, name: str) -> None:
        self._ready.wait()
        if self._player is None:
            return
        try:
            self._player(str(sound_path(name)), block=True)
        except Exception:  # a player that fails mid-show must not take the show with it
            logger.exception("playing the %s chime failed", name)
            self._unavailable()

    def _unavailable(self) -> None:
        if self.available:
            self.available = False
            self.availability_changed.emit(False)


class QtSoundSink(QObject):
    """QSoundEffect per chime, loaded once; tracks audio devices coming and going."""

    availability_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QMediaDevices

        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._outputs_changed)
        self._effects: dict[str, QSoundEffect] = {}
        self.available = False
        self._outputs_changed()

    def _outputs_changed(self) -> None:
        """Preload the chimes once an output exists (with none, QSoundEffect only complains)."""
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        available = bool(QMediaDevices.audioOutputs())
        if available and not self._effects:
            for name in SOUND_NAMES:
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(sound_path(name))))
                self._effects[name] = effect
        if available != self.available:
            self.available = available
            self.availability_changed.emit(available)

    def play(self, name: str) -> None:
        if self.available and name in self._effects:
            self._effects[name].play()


def load_sound_sink(parent: QObject | None = None) -> SoundSink:
    """The best sink this machine has: on Linux PulseAudio (or PipeWire's pulse server) through
    libpulse, else QtMultimedia, else playsound3.

    Linux tries libpulse first for memory: QtMultimedia would load its FFmpeg backend, 17+ MB
    resident, to play four chimes, where libpulse costs about 4 MB. QtMultimedia is not even
    imported when libpulse loads.
    """
    if sys.platform.startswith("linux"):
        from runofshow._qt.sound.pulse import PulseSink, load_libpulse

        library = load_libpulse()
        if library is not None:
            return PulseSink(library, parent)
    try:
        import PySide6.QtMultimedia  # noqa: F401  (probing that the module loads at all)
    except ImportError:
        return PlaysoundSink(parent)
    return QtSoundSink(parent)
