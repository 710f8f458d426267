"""The show-day soak: the CI torture tests, longer. Not collected by pytest (no ``test_`` name).

    /work/venv/bin/python tests/soak/run_soak.py [--kills 200] [--fuzz 5000] [--hours 12]
                                                 [--takeovers 30] [--only takeovers]

- 200 SIGKILLs of the real app (40 chains of 5) at random moments, each restart compared with
  the truth folded from the acknowledged actions (tests/qt/torture_proc.py);
- 30 takeovers (docs/two-machines.md): a primary with one follower (two in every third run)
  SIGKILLed at a random moment while actions stream in, a follower promoted, every action
  acknowledged before the kill found in its journal, its countdown within ±50 ms of the
  truth, the other follower and the old primary (restarted) following it, the report
  complete (tests/qt/peer_proc.py);
- every hostile agenda through ``runofshow check``, with time and peak RSS;
- the loader fuzzed with random YAML documents and byte mutations of the seed agenda;
- a simulated show of ``--hours`` on the engine and the controller (offscreen), traced memory
  sampled every hour after a one-hour warm-up.

Prints a table of what it tried and what held; exits 1 if anything did not hold.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests" / "qt"), str(ROOT / "tests" / "core"), str(ROOT)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Row = tuple[str, str, bool]


def crash_kills(kills: int, work: Path) -> list[Row]:
    from torture_proc import Tally, crash_chain

    from runofshow.core.loader import load_agenda
    from runofshow.resources import default_agenda

    agenda = load_agenda(default_agenda())
    total = Tally()
    for seed in range(1000, 1000 + max(1, kills // 5)):
        run = work / f"chain-{seed}"
        run.mkdir()
        total.merge(crash_chain(agenda, default_agenda(), run / "state", seed, 5, run))
    print(total.table())
    for failure in total.failures[:20]:
        print("  FAILED:", failure)
    held = not total.failures and total.integrity_ok == total.kills
    detail = (
        f"{total.kills} kills, {total.resumed_ok} restarts checked, {total.applied} actions, "
        f"max error {total.max_remaining_error_ms:.1f} ms"
    )
    return [("SIGKILL and resume", detail, held)]


def takeovers(runs: int, work: Path) -> list[Row]:
    from peer_proc import Takeovers, takeover_run

    from runofshow.core.loader import load_agenda
    from runofshow.resources import default_agenda

    agenda = load_agenda(default_agenda())
    total = Takeovers()
    for seed in range(2000, 2000 + runs):
        run = work / f"takeover-{seed}"
        run.mkdir()
        followers = 2 if seed % 3 == 0 else 1
        total.merge(takeover_run(agenda, default_agenda(), run, seed, followers=followers))
    print(total.table())
    for failure in total.failures[:20]:
        print("  FAILED:", failure)
    median = sorted(total.takeover_s)[len(total.takeover_s) // 2] if total.takeover_s else 0
    detail = (
        f"{total.runs} runs, {total.applied} actions, worst countdown error "
        f"{total.worst_countdown_ms:.1f} ms, silence said within {total.worst_silence_said_s:.2f}"
        f" s, kill to takeover median {median * 1000:.0f} ms, {total.set_aside} set aside"
    )
    held = not total.failures and total.reports_complete == total.runs == runs
    return [("kill -9 the primary, take over", detail, held)]


def hostile(work: Path) -> list[Row]:
    from test_torture_agendas import check_all, verdict

    results = check_all(work / "hostile")
    bad = [f"{r.case.name}: {v}" for r in results if (v := verdict(r)) is not None]
    for line in bad:
        print("  FAILED:", line)
    detail = (
        f"{len(results)} cases, max CPU {max(r.cpu_seconds for r in results):.2f} s, "
        f"max RSS {max(r.rss_mb for r in results):.0f} MB"
    )
    return [("hostile agendas via check", detail, not bad)]


def fuzz(examples: int) -> list[Row]:
    import yaml
    from hostile_cases import SEED
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_torture_agendas import documents, load_only_agenda_errors

    options = settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    rows: list[Row] = []

    @options
    @given(documents)
    def random_documents(document):
        load_only_agenda_errors(yaml.safe_dump(document, allow_unicode=True).encode())

    edit = st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.binary(max_size=4))

    @options
    @given(st.lists(edit, min_size=1, max_size=16))
    def mutations(edits):
        data = bytearray(SEED.read_bytes())
        for offset, cut, insert in edits:
            at = offset % (len(data) + 1)
            data[at : at + cut] = insert
        load_only_agenda_errors(bytes(data))

    for name, test in (
        ("fuzz: random YAML", random_documents),
        ("fuzz: seed mutations", mutations),
    ):
        began = time.monotonic()
        try:
            test()
            held, note = True, ""
        except Exception as exc:  # report, do not stop the soak
            held, note = False, f" ({type(exc).__name__}: {str(exc)[:200]})"
        rows.append((name, f"{examples} examples, {time.monotonic() - began:.0f} s{note}", held))
    return rows


def long_show(hours: int) -> list[Row]:
    from PySide6.QtWidgets import QApplication
    from qt_helpers import at
    from test_torture_window import long_agenda

    from runofshow._qt.i18n import Translator
    from runofshow._qt.show.controller import ShowController
    from runofshow.core.clock import FakeClock
    from runofshow.core.engine import ShowEngine

    _app = QApplication.instance() or QApplication([])
    clock = FakeClock(wall=at(3, 0))
    engine = ShowEngine(long_agenda(count=hours * 12), clock)
    controller = ShowController(engine, Translator("en"))
    engine.start()
    tracemalloc.start()
    samples = []
    for hour in range(hours):
        for _segment in range(12):
            for _ in range(60):
                clock.advance(5)
                controller.refresh()
            controller.act(engine.pause)
            clock.advance(10)
            controller.act(engine.resume)
            controller.act(engine.next)
        if hour >= 1:
            samples.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    controller.stop()
    growth = samples[-1] - samples[0] if samples else 0
    detail = f"{hours} h, traced {samples[0] / 1e6:.2f} -> {samples[-1] / 1e6:.2f} MB"
    return [("long show, constant memory", detail, growth < 150_000 * hours)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--fuzz", type=int, default=5000)
    parser.add_argument("--hours", type=int, default=12)
    parser.add_argument("--takeovers", type=int, default=30)
    parser.add_argument(
        "--only", choices=("kills", "takeovers", "hostile", "fuzz", "long"), help="one part"
    )
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="runofshow-soak-") as folder:
        work = Path(folder)
        steps = {
            "kills": lambda: crash_kills(args.kills, work),
            "takeovers": lambda: takeovers(args.takeovers, work),
            "hostile": lambda: hostile(work),
            "fuzz": lambda: fuzz(args.fuzz),
            "long": lambda: long_show(args.hours),
        }
        for part, step in steps.items():
            if args.only is not None and part != args.only:
                continue
            began = time.monotonic()
            for name, detail, held in step():
                rows.append((name, f"{detail} [{time.monotonic() - began:.0f} s]", held))
    print("\n== show-day soak ==")
    for name, detail, held in rows:
        print(f"{'held' if held else 'FAILED':<7} {name:<30} {detail}")
    return 0 if all(held for _, _, held in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
