"""The show network under load: the real app serving while it counts.

One app (the timing agenda, ``--serve 127.0.0.1:0``, ``RUNOFSHOW_TRACE``) under Xvfb, started
through its API. Three stretches of ``span`` seconds each, in order:

- **quiet**: the server on, nobody connected: the MC's flips and CPU (the baseline);
- **loaded**: 50 WebSocket clients (each pinging the clock every 5 s, as the views do) and 200
  HTTP requests a second (one in ten a command, ``add/10`` and ``remove/10`` alternately, each
  journaled before it is answered; the rest ``/api/state``), each on its own connection: the
  MC's flips and CPU again, and every request's round trip;
- **view**: the timer view in a real browser engine (QtWebEngine, ``browser_probe.py``) for
  the span: each flip's lateness against the true boundary, on the page's own wall clock.

Loopback only, bounded in count and time; every process is stopped by PID.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from live import Flip, lateness_stats, read_trace, shown_step, stats_ms
from xenv import BENCH, PYTHON, app_env, cpu_seconds, scratch, stop, wait_for, xvfb

from agendas import write_timing_agenda

PIN = "bench-pin"
CLIENTS = 50
RATE = 200  # requests a second
COMMAND_SHARE = 10  # one request in ten is a command
PROBE = BENCH.parents[0] / "qt" / "network" / "browser_probe.py"
PORT_LINE = "runofshow: serving "


class Load:
    """The load generator, on its own asyncio loop in a thread (the app is another process)."""

    def __init__(self, port: int, seconds: float) -> None:
        self.port, self.seconds = port, seconds
        self.command_ms: list[float] = []
        self.state_ms: list[float] = []
        self.errors: list[str] = []
        self.pushes = 0
        self.pings = 0

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        from websockets.asyncio.client import connect

        stop_at = time.monotonic() + self.seconds
        sockets = [await connect(f"ws://127.0.0.1:{self.port}/ws") for _ in range(CLIENTS)]
        try:
            readers = [asyncio.create_task(self._client(s, i, stop_at)) for i, s in
                       enumerate(sockets)]  # fmt: skip
            await self._requests(stop_at)
            await asyncio.gather(*readers)
        finally:
            for socket in sockets:
                await socket.close()

    async def _client(self, socket, index: int, stop_at: float) -> None:
        next_ping = time.monotonic() + (index % 50) * 0.1
        while (left := stop_at - time.monotonic()) > 0:
            wait = max(0.01, min(left, next_ping - time.monotonic()))
            try:
                message = await asyncio.wait_for(socket.recv(), wait)
                self.pushes += '"kind": "state"' in message
            except TimeoutError:
                pass
            if time.monotonic() >= next_ping:
                await socket.send(json.dumps({"kind": "time", "client": time.monotonic()}))
                self.pings += 1
                next_ping += 5.0

    async def _requests(self, stop_at: float) -> None:
        began = time.monotonic()
        tasks = []
        count = int(self.seconds * RATE)
        for i in range(count):
            due = began + i / RATE
            if due > stop_at:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if i % COMMAND_SHARE == 0:
                path = f"/api/{'add' if (i // COMMAND_SHARE) % 2 == 0 else 'remove'}/10?pin={PIN}"
                tasks.append(asyncio.create_task(self._request(path, self.command_ms)))
            else:
                tasks.append(asyncio.create_task(self._request("/api/state", self.state_ms)))
        await asyncio.gather(*tasks)

    async def _request(self, path: str, into: list[float]) -> None:
        start = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
            await writer.drain()
            reply = await asyncio.wait_for(reader.read(), 5)
            writer.close()
        except (OSError, TimeoutError) as error:
            self.errors.append(f"{path}: {error}")
            return
        if not reply.startswith(b"HTTP/1.1 200"):
            self.errors.append(f"{path}: {reply[:40]!r}")
            return
        into.append((time.perf_counter() - start) * 1000)


def _flips_between(trace: Path, start_t: float, stop_t: float) -> dict:
    """The time-driven flips painted between show times ``start_t`` and ``stop_t``, each held
    against the zero instant of its own line: the load's commands move the countdown by ten
    seconds now and then, and a flip made by a command is not a flip made by time."""
    rows = [r for r in read_trace(trace) if r[2] is not None]
    seq: list[Flip] = []
    for (_t0, before, zero0), (t, text, zero) in itertools.pairwise(rows):
        if text != before and zero == zero0 and start_t <= t < stop_t:
            step = shown_step(text)
            seq.append(Flip(t, step, (t - (zero + step)) * 1000))
    return lateness_stats(seq)


def _view_lateness(url: str, seconds: float, out: Path, wall_minus_boot: float) -> dict:
    state = json.loads(_get(url, "/api/state"))
    done = subprocess.run(
        [PYTHON, str(PROBE), f"{url}/timer", str(out), "--watch", str(seconds),
         "--timeout", "60", "--size", "1280x720"],
        capture_output=True, text=True, timeout=seconds + 120,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the browser probe failed: {done.stderr[-1500:]}")
    shown = json.loads(out.read_text(encoding="utf-8"))
    zero, speed = state["countdown"]["zero_at"], state["clock"]["speed"]
    late = []
    for at, text in shown["flips"][1:]:  # the first change may be the page's first draw
        minus = text.startswith("+")
        secs = 0
        for part in text.lstrip("+").split(":"):
            secs = secs * 60 + int(part)
        due = zero + (secs if minus else -secs) / speed + wall_minus_boot
        late.append((at - due) * 1000)
    return {**stats_ms(late), "flips": len(late)}


def _get(url: str, path: str) -> bytes:
    import urllib.request

    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {PIN}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.read()


def network_run(span: float) -> dict:
    """The three stretches; every figure of the network rows."""
    home = scratch("network")
    agenda = write_timing_agenda(home, 3 * 3600)  # never reaches overtime in the run
    trace = home / "trace.tsv"
    with xvfb() as display:
        env = app_env(display, home, RUNOFSHOW_TRACE=str(trace))
        app = subprocess.Popen(
            [PYTHON, "-m", "runofshow", str(agenda), "--mute", "--serve", "127.0.0.1:0",
             "--pin", PIN],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        try:
            url = _served_url(app)
            return _measure(app, url, trace, span, home)
        finally:
            stop(app)


def _served_url(app: subprocess.Popen) -> str:
    found: list[str] = []

    def read() -> None:
        assert app.stdout is not None
        for line in app.stdout:
            if line.startswith(PORT_LINE) and not found:
                found.append(line[len(PORT_LINE) :].strip().rstrip("/"))

    threading.Thread(target=read, daemon=True).start()
    wait_for(lambda: bool(found), 30, "the app's server")
    return found[0]


def _show_clock(url: str) -> float:
    return json.loads(_get(url, "/api/state"))["clock"]["show"]


def _measure(app: subprocess.Popen, url: str, trace: Path, span: float, home: Path) -> dict:
    json.loads(_get(url, "/api/start?pin=" + PIN))
    time.sleep(1.5)  # the first flips settle (the window was just shown)
    result: dict = {}
    for name, loaded in (("quiet", False), ("loaded", True)):
        t0, cpu0 = _show_clock(url), cpu_seconds(app.pid)
        began = time.monotonic()
        load = Load(int(url.rsplit(":", 1)[1]), span)
        if loaded:
            load.run()
        else:
            time.sleep(span)
        seconds = time.monotonic() - began
        cpu = (cpu_seconds(app.pid) - cpu0) / seconds * 100
        result[name] = {"flips": _flips_between(trace, t0, _show_clock(url)), "cpu": cpu,
                        "seconds": seconds}  # fmt: skip
        if loaded:
            result[name].update(command=stats_ms(load.command_ms), state=stats_ms(load.state_ms),
                                errors=load.errors[:5], error_count=len(load.errors),
                                pushes=load.pushes, pings=load.pings)  # fmt: skip
    boot = time.clock_gettime(getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC))
    result["view"] = _view_lateness(url, span, home / "view.json", time.time() - boot)
    return result


if __name__ == "__main__":
    print(json.dumps(network_run(float(sys.argv[1]) if len(sys.argv) > 1 else 5), indent=1))
