"""A network partition between two real runofshow processes, made with network namespaces.

Run inside a private network namespace of its own (``unshare -n``: nothing here touches the
machine's real network), ``partition_run`` builds this LAN::

    driver (this process)           laptop A (its namespace)       laptop B (its namespace)
      dA 10.97.1.1 ---- control ----- cA 10.97.1.2
      dB 10.97.2.1 ---- control -------------------------------------- cB 10.97.2.2
                   br_show bridge --- sA 10.98.0.1 (the show's LAN) -- sB 10.98.0.2

The show's two laptops serve and talk on the show LAN (10.98.0.x); the driver reaches each
over a control link of its own (a route to each show address through it). A *partition* takes
B's port off the show bridge: both laptops keep their addresses and sockets, and nothing gets
through between them, as when a switch between two rooms dies; the driver still reaches
both. Healing puts the port back. Every namespace is held by a ``sleep`` process and goes
with it; every process is killed and reaped before ``partition_run`` returns.

Kept out of ``test_*`` names so pytest imports it only as a helper.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from peer_proc import Machine, entries, rows, set_aside, wait_for

SHOW = {"a": "10.98.0.1", "b": "10.98.0.2"}
CONTROL = {"a": ("10.97.1.1", "10.97.1.2"), "b": ("10.97.2.1", "10.97.2.2")}
PORT = 8765


def ip(*args: str, ns: int | None = None) -> None:
    argv = ["ip", *args] if ns is None else ["nsenter", "-t", str(ns), "-n", "ip", *args]
    subprocess.run(argv, check=True, capture_output=True, timeout=10)


class Lan:
    """The namespaces and links above; ``close`` removes them (their holders die)."""

    def __init__(self) -> None:
        ip("link", "set", "lo", "up")
        ip("link", "add", "br_show", "type", "bridge")
        ip("link", "set", "br_show", "up")
        self.holders: dict[str, subprocess.Popen[bytes]] = {}
        for name in ("a", "b"):
            holder = subprocess.Popen(["unshare", "-n", "sleep", "600"])
            self.holders[name] = holder
            time.sleep(0.05)
            self._wire(name, holder.pid)

    def pid(self, name: str) -> int:
        return self.holders[name].pid

    def _wire(self, name: str, pid: int) -> None:
        ip("link", "set", "lo", "up", ns=pid)
        ip("link", "add", f"p{name}", "type", "veth", "peer", "name", f"s{name}")
        ip("link", "set", f"s{name}", "netns", str(pid))
        ip("link", "set", f"p{name}", "master", "br_show")
        ip("link", "set", f"p{name}", "up")
        ip("addr", "add", f"{SHOW[name]}/24", "dev", f"s{name}", ns=pid)
        ip("link", "set", f"s{name}", "up", ns=pid)
        here, there = CONTROL[name]
        ip("link", "add", f"d{name}", "type", "veth", "peer", "name", f"c{name}")
        ip("link", "set", f"c{name}", "netns", str(pid))
        ip("addr", "add", f"{here}/24", "dev", f"d{name}")
        ip("link", "set", f"d{name}", "up")
        ip("addr", "add", f"{there}/24", "dev", f"c{name}", ns=pid)
        ip("link", "set", f"c{name}", "up", ns=pid)
        ip("route", "add", f"{SHOW[name]}/32", "via", there)

    def cut(self, name: str) -> None:
        """``name``'s show port off the bridge: silence between the laptops."""
        ip("link", "set", f"p{name}", "nomaster")

    def heal(self, name: str) -> None:
        ip("link", "set", f"p{name}", "master", "br_show")

    def close(self) -> None:
        for holder in self.holders.values():
            holder.kill()
            holder.wait(10)


def laptop(lan: Lan, name: str, args: list[str], work: Path) -> Machine:
    machine = Machine(
        args, work / name, work / f"{name}.log", serve=f"{SHOW[name]}:{PORT}",
        prefix=["nsenter", "-t", str(lan.pid(name)), "-n"],
    )  # fmt: skip
    machine.wait_serving()
    return machine


def partition_run(agenda: Path, work: Path) -> dict[str, Any]:
    """The two laptops split by a partition while both run; the follower takes over; the
    partition heals. What happened, for the test to check."""
    lan = Lan()
    machines: list[Machine] = []
    out: dict[str, Any] = {}
    try:
        a = laptop(lan, "a", [str(agenda), "--rehearse", "14:59:30"], work)
        machines.append(a)
        assert a.ready() is not None
        b = laptop(lan, "b", ["--join", f"{SHOW['a']}:{PORT}"], work)
        machines.append(b)
        b.wait_following()
        a.command("start")
        a.command("next")
        b.wait_following(rows=2)
        lan.cut("b")
        cut = time.monotonic()
        wait_for("B to say it lost A", lambda: not b.status()["connected"], timeout=5)
        out["silence_said_s"] = time.monotonic() - cut
        began = time.monotonic()
        out["a_during"] = [a.command(c) for c in ("next", "pause")]  # A still counts, alone
        out["a_answer_s"] = time.monotonic() - began
        out["takeover"] = b._get("/api/takeover")
        out["b_after"] = b.command("add", "60")
        out["b_rows"] = rows(entries(b.state))
        lan.heal("b")
        wait_for("A to follow B", lambda: (a.status() or {}).get("role") == "follower"
                 and a.status().get("connected"), timeout=20)  # fmt: skip
        wait_for("the copies to agree", lambda: rows(entries(a.state)) == rows(entries(b.state)))
        out["a_status"] = a.status()
        out["b_status"] = b.status()
        out["a_rows"] = rows(entries(a.state))
        out["a_aside"] = [e.entry.action.name for e in set_aside(a.state)]
        wait_for("B to keep them too", lambda: len(set_aside(b.state)) == len(out["a_aside"]))
        out["b_aside"] = [e.entry.action.name for e in set_aside(b.state)]
    finally:
        for machine in machines:
            machine.close()
        lan.close()
    return out


if __name__ == "__main__":
    print(json.dumps(partition_run(Path(sys.argv[1]), Path(sys.argv[2]))))
