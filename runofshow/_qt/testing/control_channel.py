"""A test-only control channel: ``RUNOFSHOW_CONTROL=1`` makes the app take commands on stdin.

Why it exists: the show-day torture tests (tests/qt/test_torture_process.py, tests/soak/) must
drive the *real* process — kill it with SIGKILL at random moments, restart it, and compare what
it resumed with what it had acknowledged. An acknowledgement is only worth something if it
comes after the action is durable, so each reply below is written after the engine's action
returned, i.e. after the journal append committed.

It is off unless the variable is set, and then attached by a zero-delay timer after the first
frame (``main.main``); without the variable this module is never imported.

The protocol, one command per line on stdin, one JSON object per line on stdout::

    start | pause | resume | toggle | next | previous | undo | reset | end
    goto N          jump to segment N (from 0)
    add SECONDS     add (or, negative, remove) time
        -> {"ack": NAME, "applied": BOOL, "seq": SEQ|null, "t": SHOW_CLOCK|null,
            "also": [{"seq", "name", "t"}, ...]}
           seq and t are the operator's action's own; "also" lists the actions the app
           journaled in response, before the ack (a video segment's reset journals its
           file's length as a "media" action), so a test can tell them apart
    now             -> {"now": {...}}  the engine's Now, the notices and the journal error
    reload          -> {"reload": true}  as Ctrl+R (checked off the GUI thread: the outcome
                       comes as a notice)
    watch_notices   -> {"watching": true}, then {"notice": {"kind", "text", "now"}} each time
                       a notice is posted (a test waits on the reply, not on a sleep)
    quit            -> {"quit": true}, then the window closes

``{"ready": {...}}`` is written once, when the channel is attached; a line it does not know
gets ``{"error": TEXT}``. Nothing here is shown to the operator.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier

if TYPE_CHECKING:
    from runofshow._qt.windows.mc_window import McWindow

CONTROL_ENV = "RUNOFSHOW_CONTROL"

# Control commands and the show command each runs, with how its one argument is passed.
# ``goto N`` counts from 0 here (the harness compares with the journal's index).
ACTIONS: dict[str, tuple[str, Callable[[str], dict[str, object]]]] = {
    "start": ("start", lambda _a: {}),
    "pause": ("pause", lambda _a: {}),
    "resume": ("resume", lambda _a: {}),
    "toggle": ("toggle", lambda _a: {}),
    "next": ("next", lambda _a: {}),
    "previous": ("previous", lambda _a: {}),
    "undo": ("undo", lambda _a: {}),
    "reset": ("reset", lambda _a: {}),
    "end": ("end", lambda _a: {}),
    "goto": ("goto", lambda a: {"segment": str(int(a) + 1)}),
    "add": ("add", lambda a: {"seconds": float(a)}),
}


def write_line(payload: dict[str, Any]) -> None:
    """One JSON line on stdout, unbuffered: a reply written is a reply the test can read,
    even if the process is killed right after."""
    os.write(sys.stdout.fileno(), (json.dumps(payload, ensure_ascii=False) + "\n").encode())


def snapshot(window: McWindow) -> dict[str, Any]:
    """What the tests compare: where the show is, by the engine, and what the MC is told."""
    host = window.host
    controller = host.controller
    if controller is None:
        return {"show": None, "notices": dict(host.notices)}
    engine = controller.engine
    now = engine.now()
    display = controller.display
    return {
        "t": now.t,
        "wall": now.wall,
        "status": str(now.status),
        "index": now.index,
        "id": now.segment.id,
        "remaining_s": now.remaining_s,
        "elapsed_s": now.elapsed_s,
        "drift_s": now.drift_s,
        "mode": now.mode,
        "speed": now.speed,
        "actions": len(engine.actions),
        "journal_error": engine.journal_error,
        "countdown": display.countdown if display is not None else None,
        "notices": dict(host.notices),
        "blackout": now.blackout,
    }


class ControlChannel(QObject):
    """Reads command lines from stdin as they arrive (no thread: a socket notifier)."""

    def __init__(self, window: McWindow) -> None:
        super().__init__(window)
        self.window = window
        self._buffer = b""
        self._notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)

    def _readable(self) -> None:
        data = os.read(sys.stdin.fileno(), 65536)
        if not data:  # the test closed its end: stop listening, keep the show running
            self._notifier.setEnabled(False)
            return
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line.strip():
                self.handle(line.decode("utf-8", errors="replace").strip())

    def handle(self, line: str) -> None:
        """Run one command and write its reply."""
        name, _, arg = line.partition(" ")
        if name in ACTIONS:
            try:
                write_line(self._act(name, arg))
            except ValueError as exc:  # "goto x": a test's typo, not the show's problem
                write_line({"error": str(exc)})
        elif name == "now":
            write_line({"now": snapshot(self.window)})
        elif name == "watch_notices":
            self.window.host.notice_posted.connect(self._notice)
            write_line({"watching": True})
        elif name == "reload":
            self.window.host.reload_agenda()  # checked off the GUI thread: see watch_notices
            write_line({"reload": True})
        elif name == "quit":
            write_line({"quit": True})
            self.window.host.quit()
        else:
            write_line({"error": f"unknown command {line!r}"})

    def _notice(self, kind: str, text: str) -> None:
        write_line({"notice": {"kind": kind, "text": text, "now": snapshot(self.window)}})

    def _act(self, name: str, arg: str) -> dict[str, Any]:
        """The show command, then its acknowledgement (the journal append has returned).

        The acknowledgement names the operator's action, the first one journaled by this
        command, not the journal's last: the app may journal its own actions in response
        (the video player's "media" after a reset), and those are listed under "also".
        """
        command, args = ACTIONS[name]
        engine = self.window.host.engine
        before = len(engine.actions)
        outcome = self.window.host.execute(command, args(arg), source="control")
        journaled = self.window.host.engine.actions[before:]
        mine = journaled[0] if outcome.applied and journaled else None
        return {
            "ack": name,
            "applied": outcome.applied,
            "seq": mine.seq if mine else None,
            "t": mine.t if mine else None,
            "also": [{"seq": a.seq, "name": a.name, "t": a.t} for a in journaled[1:]],
        }


def attach_control(window: McWindow) -> ControlChannel:
    """Start listening on stdin and say so with a ``ready`` line."""
    channel = ControlChannel(window)
    write_line({"ready": snapshot(window)})
    return channel
