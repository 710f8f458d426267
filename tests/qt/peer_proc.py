"""Driving two and three real ``runofshow`` processes that share a show (docs/two-machines.md),
for tests/qt/peers and the soak (tests/soak/run_soak.py --takeovers).

Every process is a ``torture_proc.App``: offscreen, serving on a free loopback port with the
known PIN, private settings. A follower is started with ``--join`` the primary's address.
``takeover_run`` is the experiment the issue asks for: a primary and its followers, random
operator actions sent to the primary and to a follower (each after the previous answer), a
SIGKILL of the primary at a random moment, a takeover on a follower, and then the checks:
every action acknowledged before the kill is in the promoted journal (``torture_proc._truth``,
the crash tests' own bookkeeping), the promoted countdown is within ±50 ms of the truth folded
from those actions, the other follower follows the new primary with the same journal, the old
primary restarted follows too (what it journaled that the new one never had set aside), and
the report of the show lists every segment. ``Proxy`` cuts and heals a connection between two
processes on loopback. Every wait has a deadline; every process is killed and reaped.

Kept out of ``test_*`` names so pytest imports it only as a helper.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torture_proc import (
    OPERATOR,
    PIN,
    TOLERANCE_S,
    App,
    Sent,
    Tally,
    _truth,
    boottime,
    sim_time,
)

from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.fold import fold
from runofshow.core.journal import AsideEntry, JournalEntry, ShowStore

DEADLINE_S = 15.0
SILENT_SAID_S = 2.0  # a follower says the primary is silent within this
REHEARSE_AT = "14:59:30"


def wait_for(what: str, check: Callable[[], Any], timeout: float = DEADLINE_S) -> Any:
    """Poll ``check`` until it returns something true; its value. TimeoutError names what."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:g} s")
        time.sleep(0.02)


class Machine(App):
    """One laptop of the show: a runofshow process and its state folder."""

    def __init__(self, args: list[str], state: Path, log: Path, **kwargs: Any) -> None:
        self.state = state
        self.args = args
        super().__init__([*args, "--state-dir", str(state)], log=log, **kwargs)

    @property
    def address(self) -> str:
        assert self.url is not None
        return self.url.removeprefix("http://")

    def status(self) -> dict[str, Any] | None:
        return self._get("/api/peer")

    def connected(self) -> bool:
        status = self.status()
        return bool(status and status.get("connected") and status.get("rows") is not None)

    def wait_serving(self) -> None:
        if not self._served.wait(DEADLINE_S) or self.url is None:
            raise TimeoutError("the app did not serve")

    def wait_following(self, rows: int | None = None) -> dict[str, Any]:
        """Until this follower is caught up with a live primary (holding ``rows``)."""

        def caught_up() -> dict[str, Any] | None:
            status = self.status()
            if not status or status.get("role") != "follower" or not status.get("connected"):
                return None
            return status if rows is None or status.get("rows") == rows else None

        return wait_for("the follower to catch up", caught_up)

    def command(self, name: str, arg: str = "") -> dict[str, Any] | None:
        """An operator's command; its answer, or None if the process died (or the answer
        was lost on the way: a follower says the primary dropped before answering)."""
        answer = self.act(name, arg)
        if answer is None:
            return None
        reason = str(answer.get("reason") or "")
        if not answer.get("applied") and ("dropped" in reason or "did not answer" in reason):
            return None  # sent, fate unknown: in flight, as a kill mid-request is
        return answer


def start_primary(work: Path, name: str, agenda: Path, **kwargs: Any) -> Machine:
    args = [str(agenda), "--rehearse", REHEARSE_AT]
    machine = Machine(args, work / name, work / f"{name}.log", **kwargs)
    if machine.ready() is None:
        raise RuntimeError(f"the primary {name} died starting: see {work / name}.log")
    return machine


def restart(machine: Machine, work: Path, name: str) -> Machine:
    """The same laptop started again on its state folder (a rehearsal resumes)."""
    args = [a if a != REHEARSE_AT else "" for a in machine.args]
    args = [a for a in args if a]
    again = Machine(args, machine.state, work / f"{name}.log")
    again.wait_serving()
    return again


def start_follower(work: Path, name: str, primary: Machine, *extra: str, **kwargs: Any) -> Machine:
    machine = Machine(["--join", primary.address, *extra], work / name, work / f"{name}.log",
                      **kwargs)  # fmt: skip
    machine.wait_serving()
    machine.wait_following()
    return machine


def entries(state: Path) -> list[JournalEntry]:
    """The latest show's journal in ``state`` (a follower's copy, or the primary's own)."""
    with ShowStore(state, read_only=True) as store:
        shows = store.shows()
        return store.journal(shows[-1].id).entries() if shows else []


def set_aside(state: Path) -> list[AsideEntry]:
    with ShowStore(state, read_only=True) as store:
        shows = store.shows()
        return store.set_aside_entries(shows[-1].id) if shows else []


def report(state: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``runofshow report --show N`` of the latest show on a laptop's state folder (on a
    follower the agenda's path is the primary's: the show is named by its number)."""
    with ShowStore(state, read_only=True) as store:
        latest = store.shows()[-1].id
    return subprocess.run(
        [sys.executable, "-m", "runofshow", "report", "--state-dir", str(state), "--show",
         str(latest), *options],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def rows(items: list[JournalEntry]) -> list[tuple[int, str, float, int]]:
    return [(e.action.seq, e.action.name, e.action.t, e.term) for e in items]


# -- a connection that can be cut --------------------------------------------------------------


class Proxy:
    """A TCP relay on a free loopback port to ``target`` (``HOST:PORT``): ``cut`` drops every
    connection through it and refuses new ones (a cable pulled), ``heal`` lets them through
    again. Its own thread; ``close`` it.

    The app serves only requests whose ``Host`` names it (guard.HostCheck), so the relay
    writes the target's address into each request head it passes on, as a router would not
    need to: a show's laptops talk directly."""

    def __init__(self, target: str) -> None:
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.open = True
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._fresh: set[socket.socket] = set()  # clients whose request head is to come
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.listener.settimeout(0.05)
        while not self._stop:
            with contextlib.suppress(TimeoutError, OSError):
                client, _ = self.listener.accept()
                if not self.open:
                    client.close()
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=2)
                except OSError:
                    client.close()
                    continue
                with self._lock:
                    self._pairs.append((client, upstream))
                    self._fresh.add(client)
            self._pump()

    def _pump(self) -> None:
        with self._lock:
            pairs = list(self._pairs)
        sockets = [s for pair in pairs for s in pair]
        if not sockets:
            return
        readable, _, _ = select.select(sockets, [], [], 0.01)
        for sock in readable:
            pair = next(p for p in pairs if sock in p)
            other = pair[1] if sock is pair[0] else pair[0]
            try:
                data = sock.recv(65536)
                if data and sock in self._fresh:
                    self._fresh.discard(sock)
                    mine = f"Host: {self.address}".encode()
                    data = data.replace(mine, f"Host: {self.target[0]}:{self.target[1]}".encode())
                if data:
                    other.sendall(data)
                    continue
            except OSError:
                pass
            self._drop(pair)

    def _drop(self, pair: tuple[socket.socket, socket.socket]) -> None:
        with self._lock:
            if pair in self._pairs:
                self._pairs.remove(pair)
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.close()

    def cut(self) -> None:
        """Silently: nothing more goes through, and nothing says so (a partition)."""
        self.open = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        self._held = pairs  # kept open, unread: the far ends see silence, not a close

    def heal(self) -> None:
        self.open = True
        for pair in getattr(self, "_held", []):
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.close()
        self._held = []

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.heal()
        with self._lock:
            for pair in self._pairs:
                for sock in pair:
                    with contextlib.suppress(OSError):
                        sock.close()
        self.listener.close()


# -- the takeover experiment ------------------------------------------------------------------


@dataclass
class Takeovers:
    """What the takeover runs tried and what held."""

    runs: int = 0
    acked: int = 0
    applied: int = 0
    through_follower: int = 0
    in_flight_durable: int = 0
    set_aside: int = 0
    worst_countdown_ms: float = 0.0
    worst_silence_said_s: float = 0.0
    takeover_s: list[float] = field(default_factory=list)
    old_primary_follows: int = 0
    reports_complete: int = 0
    failures: list[str] = field(default_factory=list)

    def merge(self, other: Takeovers) -> None:
        for name in ("runs", "acked", "applied", "through_follower", "in_flight_durable",
                     "set_aside", "old_primary_follows", "reports_complete"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.worst_countdown_ms = max(self.worst_countdown_ms, other.worst_countdown_ms)
        self.worst_silence_said_s = max(self.worst_silence_said_s, other.worst_silence_said_s)
        self.takeover_s += other.takeover_s
        self.failures += other.failures

    def table(self) -> str:
        median = sorted(self.takeover_s)[len(self.takeover_s) // 2] if self.takeover_s else 0
        rows = [
            ("runs (primary killed, follower promoted)", self.runs),
            ("actions acknowledged before the kill", self.acked),
            ("  of them applied", self.applied),
            ("  of them sent through a follower", self.through_follower),
            ("in flight at the kill, found in the new journal", self.in_flight_durable),
            ("actions set aside when the old primary came back", self.set_aside),
            ("worst promoted countdown error (ms)", f"{self.worst_countdown_ms:.3f}"),
            ("slowest 'primary silent' said (s)", f"{self.worst_silence_said_s:.2f}"),
            ("kill -> takeover applied, median (s)", f"{median:.3f}"),
            ("old primaries that came back and followed", self.old_primary_follows),
            ("reports complete", self.reports_complete),
            ("failures", len(self.failures)),
        ]
        return "\n".join(f"{name:<50} {value}" for name, value in rows)


def _drive(
    primary: Machine, follower: Machine, rng: random.Random, kill_in: float, sent: list[Sent]
) -> int:
    """Random operator actions, each after the previous answer, to the primary or (one in
    three) through the follower, until the primary is SIGKILLed ``kill_in`` seconds from
    now; how many went through the follower."""
    timer = threading.Timer(kill_in, primary.kill)
    through = 0
    timer.start()
    try:
        first = True
        while primary.proc.poll() is None:
            command, _name, choices = OPERATOR[0] if first else rng.choice(OPERATOR)
            first = False
            entry = Sent(command, rng.choice(choices))
            via = follower if rng.random() < 1 / 3 else primary
            sent.append(entry)
            entry.ack = via.command(command, entry.arg)
            if entry.ack is None:
                return through
            through += via is follower and bool(entry.ack.get("applied"))
        return through
    finally:
        timer.join(timeout=DEADLINE_S)


def _check_countdown(
    agenda: Agenda, machine: Machine, truth: list[Action], tally: Takeovers, label: str
) -> None:
    """The promoted laptop's countdown against the truth folded from the acknowledged
    actions, on the rehearsal's own clock read from outside around the question."""
    journal = entries(machine.state)
    anchor_holder = ShowStore(machine.state, read_only=True)
    try:
        anchor = anchor_holder.shows()[-1].anchor
    finally:
        anchor_holder.close()
    assert anchor is not None
    before = boottime()
    now = machine.now()
    after = boottime()
    assert now is not None
    truth = truth + [e.action for e in journal[len(truth) :] if e.action.name == "media"]
    low = sim_time(_anchor_dict(anchor), before)
    high = sim_time(_anchor_dict(anchor), after)
    clock_error = max(0.0, low - now["t"], now["t"] - high)
    folded = fold(agenda, truth).at(now["t"])
    error = abs(folded.remaining(now["t"]) - now["remaining_s"])
    tally.worst_countdown_ms = max(tally.worst_countdown_ms, 1000 * max(error, clock_error))
    same = (now["index"], now["status"]) == (folded.index, str(folded.status))
    if not same or error > TOLERANCE_S or clock_error > TOLERANCE_S:
        tally.failures.append(
            f"{label}: promoted {now['status']} #{now['index']} {now['remaining_s']:.3f}s"
            f" (t {now['t']:.3f} in [{low:.3f}, {high:.3f}]), truth {folded.status}"
            f" #{folded.index} {folded.remaining(now['t']):.3f}s"
        )


def _anchor_dict(anchor: Any) -> dict[str, Any]:
    return {"sim_wall": anchor.sim_wall, "real_mono": anchor.real_mono, "speed": anchor.speed}


def takeover_run(
    agenda: Agenda, agenda_path: Path, work: Path, seed: int, *, followers: int = 1,
    come_back: bool = True,
) -> Takeovers:  # fmt: skip
    """One run: a primary, ``followers`` followers, random actions, a SIGKILL of the primary,
    a takeover on the first follower; the checks above."""
    rng = random.Random(seed)
    tally = Takeovers(runs=1)
    label = f"seed {seed}"
    machines: list[Machine] = []
    try:
        a = start_primary(work, "a", agenda_path)
        machines.append(a)
        crew = []
        for n in range(followers):
            crew.append(start_follower(work, "bcd"[n], a))
        machines += crew
        b = crew[0]
        sent: list[Sent] = []
        through = _drive(a, b, rng, rng.uniform(0.05, 0.6), sent)
        killed = time.monotonic()
        a.close()
        said = wait_for(
            "the follower to say the primary is silent",
            lambda: (s := b.status()) is not None and not s.get("connected"),
        )
        tally.worst_silence_said_s = max(tally.worst_silence_said_s, time.monotonic() - killed)
        assert said
        answer = b._get("/api/takeover")
        if not answer or not answer.get("applied"):
            tally.failures.append(f"{label}: the takeover was refused: {answer}")
            return tally
        tally.takeover_s.append(time.monotonic() - killed)
        held = Tally()
        truth = _truth([], sent, [e.action for e in entries(b.state)], held)
        tally.failures += [f"{label}: {f}" for f in held.failures]
        tally.acked += sum(1 for s in sent if s.ack is not None)
        tally.applied += sum(1 for s in sent if s.ack is not None and s.ack.get("applied"))
        tally.in_flight_durable += held.in_flight_durable
        tally.through_follower += through
        _check_countdown(agenda, b, truth, tally, label)
        for other in crew[1:]:  # told of every peer, the others find the new primary
            other.wait_following(rows=len(entries(b.state)))
            if rows(entries(other.state)) != rows(entries(b.state)):
                tally.failures.append(f"{label}: {other.state.name} differs from the new primary")
        if come_back:
            _come_back(a, b, work, tally, label)
        _check_report(b, agenda, tally, label)
    except (TimeoutError, RuntimeError, AssertionError) as error:
        tally.failures.append(f"{label}: {type(error).__name__}: {error}")
    finally:
        for machine in machines:
            machine.close()
    return tally


def _come_back(a: Machine, b: Machine, work: Path, tally: Takeovers, label: str) -> None:
    """The old primary started again: it finds the new primary among the laptops it knew
    and follows it; what it had journaled that the new one never got is set aside, on both."""
    before = entries(a.state)
    again = restart(a, work, "a-again")
    try:
        again.wait_following()
        new = entries(b.state)
        wait_for("the old primary's copy to match",
                 lambda: rows(entries(again.state)) == rows(entries(b.state)))  # fmt: skip
        kept = len(before) - sum(1 for x, y in zip(before, new, strict=False) if x == y)
        aside = set_aside(again.state)
        if len(aside) != kept:
            tally.failures.append(f"{label}: {kept} rows differed, {len(aside)} set aside")
        if kept:
            wait_for("the new primary to hear of the set-aside rows",
                     lambda: len(set_aside(b.state)) >= kept)  # fmt: skip
        tally.set_aside += kept
        tally.old_primary_follows += 1
    finally:
        again.close()


def _check_report(b: Machine, agenda: Agenda, tally: Takeovers, label: str) -> None:
    done = report(b.state, "--format", "json")
    if done.returncode != 0:
        tally.failures.append(f"{label}: report failed: {done.stderr[-500:]}")
        return
    import json

    data = json.loads(done.stdout)
    if len(data["segments"]) != len(agenda.segments):
        tally.failures.append(f"{label}: the report lists {len(data['segments'])} segments")
        return
    aside = set_aside(b.state)
    if len(data["set_aside"]) != len(aside):
        tally.failures.append(f"{label}: the report lists {len(data['set_aside'])} set aside")
        return
    tally.reports_complete += 1


__all__ = ["PIN", "Machine", "Proxy", "Takeovers", "takeover_run", "wait_for"]
