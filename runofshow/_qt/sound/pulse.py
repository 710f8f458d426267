"""The Linux chime sink: PulseAudio's client library through ctypes, without QtMultimedia.

Why: QtMultimedia starts Qt's FFmpeg backend, 17 to 40 MB resident just to play four short
WAV chimes (measured: +20 MB peak RSS at load on Debian 12, offscreen). libpulse-simple
(Debian's libpulse0) plays them from the process for about 4 MB, libraries included, on a
PulseAudio server or on PipeWire's pipewire-pulse, which speaks the same protocol.

- Each chime is read once with ``wave`` and played, by its own worker thread, on its own
  ``pa_simple`` stream in the WAV's own format: ``play()`` returns at once, and two chimes
  (the stage manager's standby and a phase chime) may overlap.
- Whether anything would be heard is checked when the sink is made and then every few seconds
  by a worker thread: a bare connection to the server that lists its sinks. A bare connection,
  not a playback stream, so the check never wakes a suspended sound card (a click, and a
  device kept busy). No server, or no sink but PulseAudio's placeholder ``auto_null`` ("Dummy
  Output"), is unavailable: the window shows NO SOUND. A chime that fails mid-play says the
  same. Neither ever raises out of the sink.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import threading
import time
import wave
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from runofshow._qt.sound.chimes import SOUND_NAMES, sound_path

logger = logging.getLogger(__name__)

# pulse/def.h, pulse/sample.h, pulse/context.h, pulse/operation.h
PA_STREAM_PLAYBACK = 1
PA_CONTEXT_NOAUTOSPAWN = 1
PA_CONTEXT_READY = 4
PA_CONTEXT_FAILED = 5
PA_CONTEXT_TERMINATED = 6
PA_OPERATION_RUNNING = 0
# WAV's integer PCM is little-endian, 8-bit unsigned: sample width in bytes -> pa_sample_format_t
PA_FORMAT_FOR_WIDTH = {1: 0, 2: 3, 3: 9, 4: 7}  # U8, S16LE, S24LE, S32LE

PLACEHOLDER_SINK = b"auto_null"  # what PulseAudio and pipewire-pulse offer with no output
CONNECT_TIMEOUT_S = 2.0  # a server that accepts but never answers counts as none
FIRST_CHECK_WAIT_S = 0.25  # at load: long enough for a local server, too short to be noticed


class SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


SinkInfoCallback = ctypes.CFUNCTYPE(
    None, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_void_p
)
"""pa_sink_info_cb_t; only the info's first field, ``const char *name``, is read."""


class PulseLibrary:
    """libpulse-simple (play) and libpulse (the availability check), with their C signatures."""

    def __init__(self, simple: ctypes.CDLL, pulse: ctypes.CDLL) -> None:
        p, i, s, vp = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p
        err = ctypes.POINTER(ctypes.c_int)
        self.simple, self.pulse = simple, pulse
        for lib, name, restype, argtypes in (
            (simple, "pa_simple_new", p, [s, s, i, s, s, ctypes.POINTER(SampleSpec), vp, vp, err]),
            (simple, "pa_simple_write", i, [p, vp, ctypes.c_size_t, err]),
            (simple, "pa_simple_drain", i, [p, err]),
            (simple, "pa_simple_free", None, [p]),
            (pulse, "pa_strerror", s, [i]),
            (pulse, "pa_mainloop_new", p, []),
            (pulse, "pa_mainloop_get_api", p, [p]),
            (pulse, "pa_mainloop_prepare", i, [p, i]),
            (pulse, "pa_mainloop_poll", i, [p]),
            (pulse, "pa_mainloop_dispatch", i, [p]),
            (pulse, "pa_mainloop_free", None, [p]),
            (pulse, "pa_context_new", p, [p, s]),
            (pulse, "pa_context_connect", i, [p, s, i, vp]),
            (pulse, "pa_context_get_state", i, [p]),
            (pulse, "pa_context_get_sink_info_list", p, [p, SinkInfoCallback, vp]),
            (pulse, "pa_context_disconnect", None, [p]),
            (pulse, "pa_context_unref", None, [p]),
            (pulse, "pa_operation_get_state", i, [p]),
            (pulse, "pa_operation_unref", None, [p]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = restype, argtypes
            setattr(self, name, function)

    def __getattr__(self, name: str) -> Any:
        """The C functions set in ``__init__`` (typed there, by ctypes); mypy sees Any."""
        raise AttributeError(name)

    def strerror(self, code: int) -> str:
        text = self.pa_strerror(code)
        return text.decode(errors="replace") if text else f"error {code}"

    def play(self, pcm: Pcm) -> str | None:
        """Play ``pcm`` to the end on a stream of its own (blocks); the error, or None."""
        error = ctypes.c_int(0)
        spec = SampleSpec(pcm.format, pcm.rate, pcm.channels)
        stream = self.pa_simple_new(
            None, b"runofshow", PA_STREAM_PLAYBACK, None, b"chime", spec, None, None, error
        )
        if not stream:
            return self.strerror(error.value)
        try:
            if self.pa_simple_write(stream, pcm.data, len(pcm.data), error) < 0:
                return self.strerror(error.value)
            if self.pa_simple_drain(stream, error) < 0:
                return self.strerror(error.value)
            return None
        finally:
            self.pa_simple_free(stream)

    def output_sinks(self, timeout_s: float = CONNECT_TIMEOUT_S) -> list[bytes] | None:
        """The server's sinks by name, or None when no server answers (blocks, bounded)."""
        loop = self.pa_mainloop_new()
        if not loop:
            return None
        context = self.pa_context_new(self.pa_mainloop_get_api(loop), b"runofshow")
        names: list[bytes] = []

        @SinkInfoCallback
        def sink(_context, info, eol, _userdata):
            if eol == 0 and info and info[0] is not None:
                names.append(info[0])

        deadline = time.monotonic() + timeout_s

        def iterate() -> bool:
            """One bounded turn of the loop; False once the deadline passed or the loop broke."""
            left_us = int((deadline - time.monotonic()) * 1e6)
            if left_us <= 0 or self.pa_mainloop_prepare(loop, min(left_us, 100_000)) < 0:
                return False
            return self.pa_mainloop_poll(loop) >= 0 and self.pa_mainloop_dispatch(loop) >= 0

        try:
            if not context or self.pa_context_connect(context, None, PA_CONTEXT_NOAUTOSPAWN, None):
                return None
            while (state := self.pa_context_get_state(context)) != PA_CONTEXT_READY:
                if state in (PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED) or not iterate():
                    return None
            operation = self.pa_context_get_sink_info_list(context, sink, None)
            if not operation:
                return None
            try:
                while self.pa_operation_get_state(operation) == PA_OPERATION_RUNNING:
                    if not iterate():
                        return None
            finally:
                self.pa_operation_unref(operation)
            return names
        finally:
            if context:
                self.pa_context_disconnect(context)
                self.pa_context_unref(context)
            self.pa_mainloop_free(loop)


def load_libpulse() -> PulseLibrary | None:
    """The PulseAudio client libraries, or None when this machine has none."""
    try:
        simple = _cdll("libpulse-simple.so.0", "pulse-simple")
        pulse = _cdll("libpulse.so.0", "pulse")
        if simple is None or pulse is None:
            return None
        return PulseLibrary(simple, pulse)
    except (OSError, AttributeError):  # missing library or symbol: another sink will do
        return None


def _cdll(soname: str, short: str) -> ctypes.CDLL | None:
    """By soname first (no subprocess), then by ``find_library``'s search."""
    try:
        return ctypes.CDLL(soname)
    except OSError:
        found = ctypes.util.find_library(short)
        return ctypes.CDLL(found) if found else None


@dataclass(frozen=True)
class Pcm:
    """A WAV's samples with the format PulseAudio needs to play them as they are."""

    format: int
    rate: int
    channels: int
    data: bytes

    @classmethod
    def read(cls, path) -> Pcm | None:
        try:
            with wave.open(str(path), "rb") as wav:
                fmt = PA_FORMAT_FOR_WIDTH.get(wav.getsampwidth())
                if fmt is None:
                    return None
                data = wav.readframes(wav.getnframes())
                return cls(fmt, wav.getframerate(), wav.getnchannels(), data)
        except (OSError, EOFError, wave.Error):
            return None


class PulseSink(QObject):
    """Chimes through PulseAudio / pipewire-pulse; see the module's docstring.

    ``availability_changed`` is emitted from worker threads; connected to a QObject's method it
    is queued to the GUI thread, so the window's NO SOUND badge follows the server and its
    outputs however late a failure comes.
    """

    availability_changed = Signal(bool)

    def __init__(
        self, library: PulseLibrary, parent: QObject | None = None, check_interval_ms: int = 5000
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._pcm = {name: pcm for name in SOUND_NAMES if (pcm := Pcm.read(sound_path(name)))}
        self._lock = threading.Lock()
        self._checking = False
        self.available = True  # until the first check says otherwise (it is quick)
        first = self._start_check()
        if first is not None:
            first.join(FIRST_CHECK_WAIT_S)  # a badge from the start, not a flash of one
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self._start_check)
        self._timer.start()

    def play(self, name: str) -> None:
        pcm = self._pcm.get(name)
        if pcm is None:
            return
        threading.Thread(target=self._play, args=(pcm,), name=f"chime-{name}", daemon=True).start()

    def _play(self, pcm: Pcm) -> None:
        try:
            error = self._library.play(pcm)
        except Exception:  # a library that misbehaves mid-show must not take the show with it
            logger.exception("playing a chime through libpulse failed")
            error = "failed"
        self._set_available(error is None)

    def _start_check(self) -> threading.Thread | None:
        """One check at a time in a worker thread (a dead server can take seconds to say so)."""
        with self._lock:
            if self._checking:
                return None
            self._checking = True
        thread = threading.Thread(target=self._check, name="pulse-check", daemon=True)
        thread.start()
        return thread

    def _check(self) -> None:
        try:
            sinks = self._library.output_sinks()
        except Exception:  # counted as no output (NO SOUND), and said in the log
            logger.exception("listing the sound server's outputs failed")
            sinks = None
        finally:
            with self._lock:
                self._checking = False
        self._set_available(any(name != PLACEHOLDER_SINK for name in sinks or ()))

    def _set_available(self, available: bool) -> None:
        with self._lock:
            if available == self.available:
                return
            self.available = available
        # RuntimeError: the sink was deleted with its window while this thread ran
        with contextlib.suppress(RuntimeError):
            self.availability_changed.emit(available)
