"""Driving the real ``runofshow`` process for the show-day torture tests and the soak script.

``App`` starts the app offscreen serving its HTTP API on a free loopback port
(``--serve 127.0.0.1:0`` with a known PIN: docs/remote-control.md), sends commands and reads
the JSON answers. ``crash_chain`` is the
crash-safety experiment: start a rehearsal at 60x, fire random actions, SIGKILL the process at
a random moment, restart it, and compare what it resumed with the truth folded from the
actions it *acknowledged* (plus the one in flight, if that one reached the journal). The app
journals actions of its own too (a video segment's real length, ``media``, when its file
loads or the segment is reset): those are taken from the journal as they are, in their place,
and only the operator's actions are held against the acknowledgements. Every wait has a
deadline; every process is killed and reaped before a function returns.

Kept out of ``test_*`` names so pytest imports it only as a helper.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runofshow._qt.network.server import PORT_LINE
from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.fold import fold

PIN = "torture-pin"
START_TIMEOUT_S = 15.0
REPLY_TIMEOUT_S = 5.0
TOLERANCE_S = 0.050  # the resumed remaining time must be this close to the truth
SPEED = 60.0
BOOTTIME = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)

# The random operator: (control command, journal name, argument choices).
OPERATOR: list[tuple[str, str, tuple[str, ...]]] = [
    ("start", act.START, ("",)),
    ("pause", act.PAUSE, ("",)),
    ("resume", act.RESUME, ("",)),
    ("next", act.NEXT, ("",)),
    ("previous", act.PREVIOUS, ("",)),
    ("undo", act.UNDO, ("",)),
    ("reset", act.RESET, ("",)),
    ("goto", act.GOTO, ("0", "3", "5", "8", "12")),
    ("add", act.ADD_TIME, ("60", "-60", "10", "-10")),
]
JOURNAL_NAME = {command: name for command, name, _ in OPERATOR}
# Actions the app journals by itself, never acknowledged to the operator: the video player's
# "media" (the file's real length, when it loads and after a reset).
APP_MADE = frozenset({act.MEDIA})


TWO_SCREENS = {
    "synchronousWindowSystemEvents": False,
    "windowFrameMargins": False,
    "screens": [
        {"name": "MC", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpiX": 96,
         "logicalDpiY": 96, "dpr": 1},
        {"name": "STAGE", "x": 1366, "y": 0, "width": 1280, "height": 720, "logicalDpiX": 96,
         "logicalDpiY": 96, "dpr": 1},
    ],
}  # fmt: skip


def two_screens() -> Path:
    """A config for Qt's offscreen platform with a laptop screen and a projector: the app
    under torture plays its videos on the projector, never over the MC's window."""
    path = Path(tempfile.gettempdir()) / "runofshow-offscreen-two-screens.json"
    if not path.exists():  # written whole, then renamed: a parallel run never reads half
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(TWO_SCREENS), encoding="utf-8")
        os.replace(partial, path)
    return path


def boottime() -> float:
    """The clock the app's show clock is built on (CLOCK_BOOTTIME), read from the test."""
    return time.clock_gettime(BOOTTIME)


def _limit_file_size(limit: int):
    """RLIMIT_FSIZE for the child: writes past ``limit`` bytes fail as on a full disk (Python
    ignores SIGXFSZ, so the write returns EFBIG instead of killing the process)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


class App:
    """One ``runofshow`` process driven through its HTTP API; always ``close()`` it.

    It is started with ``--serve 127.0.0.1:0`` (a free loopback port) and a known PIN, and
    learns the port from the line the app prints once it listens (``PORT_LINE``). Each
    action is one request; its answer comes after the journal append has returned, and
    names the operator's own action (``seq``, ``t``), with the app's own follow-up actions
    listed under ``also``. QSettings go to a private folder (no real profile is touched)."""

    def __init__(
        self,
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        file_size_limit: int | None = None,
        pin: str = PIN,
        serve: str = "127.0.0.1:0",
        prefix: list[str] | None = None,
    ) -> None:
        self._home = tempfile.mkdtemp(prefix="runofshow-app-")
        self.pin = pin
        full_env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={two_screens()}",
            "XDG_CONFIG_HOME": self._home,
            **(env or {}),
        }
        full_env.pop("RUNOFSHOW_TRACE", None)
        self._log = open(log or os.devnull, "ab")  # noqa: SIM115  (closed in close())
        self.started = boottime()
        serve_args = ["--serve", serve, "--pin", pin]
        self.proc = subprocess.Popen(
            [*(prefix or []), sys.executable, "-m", "runofshow", *args, *serve_args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=full_env,
            preexec_fn=None if file_size_limit is None else _limit_file_size(file_size_limit),
        )
        self.url: str | None = None
        self._served = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith(PORT_LINE) and self.url is None:
                self.url = line[len(PORT_LINE) :].rstrip("/")
                self._served.set()
        self._served.set()  # end of output: the process is gone

    def ready(self, timeout: float = START_TIMEOUT_S) -> dict[str, Any] | None:
        """The app's state once it serves (after its first frame); None if it died first."""
        if not self._served.wait(timeout):
            raise TimeoutError(f"the app did not serve within {timeout} s")
        if self.url is None:
            return None
        return self.now()

    def _get(self, path: str) -> dict[str, Any] | None:
        """One request; its JSON answer (whatever the status), or None if the app is gone."""
        assert self.url is not None
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"Bearer {self.pin}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT_S) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read())
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError):
            if self.proc.poll() is None and not self._dying():
                raise
            return None

    def _dying(self) -> bool:
        """Killed a moment ago (the request raced the SIGKILL)."""
        try:
            self.proc.wait(timeout=REPLY_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return False
        return True

    def act(self, command: str, arg: str = "") -> dict[str, Any] | None:
        """One operator action; its acknowledgement, or None if the app died first. ``goto``
        counts segments from 0 here, as the journal's index does."""
        if command == "goto":
            arg = str(int(arg) + 1)
        path = f"/api/{command}" + (f"/{urllib.parse.quote(arg)}" if arg else "")
        return self._get(path)

    def now(self) -> dict[str, Any] | None:
        """What the tests compare: where the show is, by the engine, and what the MC is told."""
        doc = self._get("/api/state")
        if doc is None:
            return None
        operator = doc["operator"]
        return {
            "t": doc["clock"]["show"],
            "wall": doc["clock"]["wall"],
            "status": doc["show"]["status"],
            "index": doc["current"]["index"],
            "id": doc["current"]["id"],
            "remaining_s": doc["current"]["remaining_s"],
            "elapsed_s": doc["current"]["elapsed_s"],
            "drift_s": doc["drift_s"],
            "mode": doc["show"]["mode"],
            "speed": doc["clock"]["speed"],
            "actions": doc["show"]["actions"],
            "journal_error": operator["journal_error"],
            "countdown": operator["countdown"],
            "notices": operator["notices"],
            "blackout": doc["blackout"],
        }

    def ask_now(self) -> tuple[dict[str, Any], float, float]:
        """The app's ``now`` and the boot-time readings just before asking and after reading."""
        before = boottime()
        now = self.now()
        after = boottime()
        assert now is not None, "the app died answering 'now'"
        return now, before, after

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)

    def close(self) -> int:
        """Kill if still running, reap, let the reader finish; the exit status."""
        self.kill()
        try:
            code = self.proc.wait(timeout=REPLY_TIMEOUT_S)
        finally:
            self._reader.join(timeout=REPLY_TIMEOUT_S)
            if self.proc.stdout is not None:
                with contextlib.suppress(OSError):
                    self.proc.stdout.close()
            self._log.close()
            shutil.rmtree(self._home, ignore_errors=True)
        return code


# -- reading the journal from the outside ----------------------------------------------------


@dataclass(frozen=True)
class JournalView:
    integrity: str
    anchor: dict[str, Any] | None
    actions: list[Action]  # the latest show's actions, as journaled (wall/mono left out)

    @property
    def rows(self) -> list[tuple[int, str, float]]:
        """(seq, name, t) of each action."""
        return [_row(a) for a in self.actions]


def read_journal(state: Path, mode: str = "rehearsal") -> JournalView:
    """``PRAGMA integrity_check`` and the latest show's actions (of ``mode``), as SQLite sees
    them from outside the app."""
    db = state / "journal.sqlite3"
    if not db.exists():
        return JournalView("ok", None, [])
    conn = sqlite3.connect(db, timeout=5)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "shows" not in tables:  # killed while the app was creating the database
            return JournalView(integrity, None, [])
        show = conn.execute(
            "SELECT id, anchor FROM shows WHERE mode = ? ORDER BY id DESC LIMIT 1", (mode,)
        ).fetchone()
        if show is None:
            return JournalView(integrity, None, [])
        rows = conn.execute(
            "SELECT seq, name, t, args FROM actions WHERE show_id = ? ORDER BY id", (show[0],)
        ).fetchall()
        anchor = json.loads(show[1]) if show[1] else None
        actions = [
            Action(seq, name, t, 0.0, 0.0, "", json.loads(args)) for seq, name, t, args in rows
        ]
        return JournalView(integrity, anchor, actions)
    finally:
        conn.close()


def sim_time(anchor: dict[str, Any], real_mono: float) -> float:
    """The rehearsal clock's reading at boot-time ``real_mono`` (same boot)."""
    return anchor["sim_wall"] + (real_mono - anchor["real_mono"]) * anchor["speed"]


# -- the crash experiment ---------------------------------------------------------------------


@dataclass
class Sent:
    """An action the test sent, and what the app acknowledged about it."""

    command: str
    arg: str
    ack: dict[str, Any] | None = None

    def action(self, t: float, seq: int) -> Action:
        name = JOURNAL_NAME[self.command]
        args: dict[str, Any] = {}
        if self.command == "goto":
            args = {"index": int(self.arg)}
        elif self.command == "add":
            args = {"seconds": float(self.arg)}
        return Action(seq, name, t, 0.0, 0.0, "", args)


@dataclass
class Tally:
    """What the crash runs tried and what held."""

    kills: int = 0
    kills_at_start_up: int = 0
    acked: int = 0
    applied: int = 0
    in_flight_durable: int = 0
    in_flight_not_durable: int = 0
    app_made: int = 0  # actions the app journaled by itself (the video's "media")
    integrity_ok: int = 0
    resumed_ok: int = 0
    max_remaining_error_ms: float = 0.0
    max_clock_error_ms: float = 0.0
    max_run_s: float = 0.0
    failures: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        for name in ("kills", "kills_at_start_up", "acked", "applied", "in_flight_durable"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("in_flight_not_durable", "app_made", "integrity_ok", "resumed_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("max_remaining_error_ms", "max_clock_error_ms", "max_run_s"):
            setattr(self, name, max(getattr(self, name), getattr(other, name)))
        self.failures.extend(other.failures)

    def table(self) -> str:
        rows = [
            ("SIGKILLs", self.kills),
            ("  of them during start-up", self.kills_at_start_up),
            ("actions acknowledged", self.acked),
            ("  of them applied (journaled)", self.applied),
            ("in flight at the kill, found durable", self.in_flight_durable),
            ("in flight at the kill, not written", self.in_flight_not_durable),
            ("actions the app journaled itself", self.app_made),
            ("journals passing integrity_check", self.integrity_ok),
            ("restarts resuming the true state", self.resumed_ok),
            ("max remaining-time error (ms)", f"{self.max_remaining_error_ms:.3f}"),
            ("max show-clock error (ms)", f"{self.max_clock_error_ms:.3f}"),
            ("slowest kill+restart (s)", f"{self.max_run_s:.2f}"),
            ("failures", len(self.failures)),
        ]
        return "\n".join(f"{name:<40} {value}" for name, value in rows)


Operator = list[tuple[str, str, tuple[str, ...]]]


def _drive(
    app: App,
    rng: random.Random,
    kill_in: float,
    sent: list[Sent],
    ready: bool,
    operator: Operator = OPERATOR,
) -> bool:
    """Arm a SIGKILL ``kill_in`` seconds from now, then fire random actions of ``operator``
    (the first is always its first), each after the previous one's ack, until it lands;
    False if it landed before the app was ready."""
    timer = threading.Timer(kill_in, app.kill)
    timer.start()
    try:
        if not ready and app.ready(START_TIMEOUT_S) is None:
            return False
        first = True
        while app.proc.poll() is None:
            command, _name, choices = operator[0] if first else rng.choice(operator)
            first = False
            entry = Sent(command, rng.choice(choices))
            sent.append(entry)
            entry.ack = app.act(command, entry.arg)
            if entry.ack is None:
                return True
        return True
    finally:
        timer.join(timeout=START_TIMEOUT_S)


def _row(action: Action) -> tuple[int, str, float]:
    return (action.seq, action.name, action.t)


def _truth(
    history: list[Action], sent: list[Sent], journal: list[Action], tally: Tally
) -> list[Action]:
    """The actions the resumed show must be made of: what earlier rounds left, then this
    round's journal read against the acks: every applied ack in order, the app's own actions
    where the journal has them, and the one in flight if (and only if) the journal holds it.
    A journal that lacks an acknowledged action, or holds one never sent, is a failure."""
    if [_row(a) for a in journal[: len(history)]] != [_row(a) for a in history]:
        tally.failures.append(f"earlier actions lost or changed: {history} vs {journal}")
        return history
    pending = [s for s in sent if s.ack is not None and s.ack["applied"]]
    in_flight = sent[-1] if sent and sent[-1].ack is None else None
    truth = list(history)
    for action in journal[len(history) :]:
        if action.name in APP_MADE:
            truth.append(action)
            tally.app_made += 1
        elif pending:
            entry = pending.pop(0)
            expected = entry.action(entry.ack["t"], entry.ack["seq"])
            if _row(action) != _row(expected):
                tally.failures.append(f"acknowledged {_row(expected)}, journaled {_row(action)}")
            truth.append(expected)
        elif in_flight is not None and action.name == JOURNAL_NAME[in_flight.command]:
            truth.append(in_flight.action(action.t, action.seq))
            tally.in_flight_durable += 1
            in_flight = None
        else:
            tally.failures.append(f"journal holds an action never acknowledged: {_row(action)}")
    if pending:
        lost = [(s.ack["seq"], JOURNAL_NAME[s.command], s.ack["t"]) for s in pending]
        tally.failures.append(f"acknowledged actions lost: {lost}")
    elif in_flight is not None:
        tally.in_flight_not_durable += 1
    return truth


def _check_resumed(
    agenda: Agenda, app: App, state: Path, truth: list[Action], tally: Tally, label: str
) -> None:
    """Ask the restarted app where it is and hold it against the folded truth."""
    now, before, after = app.ask_now()
    journal = read_journal(state)
    anchor = journal.anchor
    assert anchor is not None, "the restarted app recorded no rehearsal"
    # The restarted app may have journaled actions of its own before it answered (the video
    # player loading the file of a segment resumed mid-video): they are part of the truth.
    truth = truth + [
        a for a in journal.actions[len(truth) :] if a.name in APP_MADE and a.t <= now["t"]
    ]
    low, high = sim_time(anchor, before), sim_time(anchor, after)
    clock_error = max(0.0, low - now["t"], now["t"] - high)
    folded = fold(agenda, truth).at(now["t"])
    remaining = folded.remaining(now["t"])
    error = abs(remaining - now["remaining_s"])
    tally.max_remaining_error_ms = max(tally.max_remaining_error_ms, error * 1000)
    tally.max_clock_error_ms = max(tally.max_clock_error_ms, clock_error * 1000)
    same = (now["index"], now["status"]) == (folded.index, str(folded.status))
    if same and error <= TOLERANCE_S and clock_error <= TOLERANCE_S:
        tally.resumed_ok += 1
    else:
        tally.failures.append(
            f"{label}: resumed {now['status']} #{now['index']} {now['remaining_s']:.3f}s "
            f"(t {now['t']:.3f} in [{low:.3f}, {high:.3f}]), truth {folded.status} "
            f"#{folded.index} {remaining:.3f}s"
        )


def _kill_round(
    app: App,
    rng: random.Random,
    kill_in: float,
    ready: bool,
    context: tuple[Path, list[Action], Tally, str],
    operator: Operator = OPERATOR,
) -> list[Action]:
    """Drive ``app`` until the SIGKILL; check the journal; the truth afterwards."""
    state, history, tally, label = context
    sent: list[Sent] = []
    was_ready = _drive(app, rng, kill_in, sent, ready, operator)
    app.close()
    tally.kills += 1
    tally.kills_at_start_up += not was_ready
    journal = read_journal(state)
    if journal.integrity == "ok":
        tally.integrity_ok += 1
    else:
        tally.failures.append(f"{label}: integrity_check says {journal.integrity}")
    acked = [s for s in sent if s.ack is not None]
    tally.acked += len(acked)
    tally.applied += sum(1 for s in acked if s.ack["applied"])
    return _truth(history, sent, journal.actions, tally)


def crash_chain(
    agenda: Agenda,
    agenda_path: Path,
    state: Path,
    seed: int,
    kills: int,
    logs: Path,
    operator: Operator = OPERATOR,
) -> Tally:
    """``kills`` processes in a row on one journal, each SIGKILLed at a random moment: about
    one in six during start-up (resuming, for all but the first), the others while actions
    of ``operator`` stream in. Each restart that gets as far as ready is checked against the
    truth of every action acknowledged before; the last process is only checked."""
    rng = random.Random(seed)
    tally = Tally()
    history: list[Action] = []
    for round_ in range(kills + 1):
        args = [str(agenda_path), "--state-dir", str(state), "--speed", f"{SPEED:g}"]
        args += ["--rehearse", "14:59:30"] if round_ == 0 else ["--rehearse"]
        label = f"seed {seed} round {round_}"
        began = time.monotonic()
        early = round_ < kills and rng.random() < 0.15
        app = App(args, log=logs / f"seed{seed}-{round_}.log")
        try:
            ready = False
            if round_ > 0 and not early:
                if app.ready(START_TIMEOUT_S) is None:
                    tally.failures.append(f"{label}: the restarted app died")
                    continue
                ready = True
                _check_resumed(agenda, app, state, history, tally, label)
            if round_ < kills:
                kill_in = rng.uniform(0.02, 0.3) if early else rng.uniform(0.05, 0.45)
                context = (state, history, tally, label)
                history = _kill_round(app, rng, kill_in, ready, context, operator)
        finally:
            app.close()
            tally.max_run_s = max(tally.max_run_s, time.monotonic() - began)
    return tally
