"""Random shows for the property tests of the projection (tests/core/test_projection.py) and
of the windows' running orders (tests/qt/test_running_order_model.py): agendas with fixed
starts, automatic ends, roll-mode segments and groups, and random operator actions (plans and
roll mode taken over and handed back among them) on a fake clock."""

from __future__ import annotations

import dataclasses
import random

from show_builders import make_agenda

from runofshow.core.agenda import Agenda, EndAction
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine

__all__ = ["act", "edited", "random_agenda"]


def random_agenda(rng: random.Random, count: int) -> Agenda:
    """``count`` segments from 15:00: slots of 1 s to 10 min, some limits, some fixed starts
    (met, missed and leaving gaps), some automatic ends, in up to four groups."""
    rows = []
    planned = 15 * 3600
    for i in range(count):
        duration = rng.choice((1, 2, 5, 30, 60, 270, 300, 600))
        row: dict = dict(title=f"Segment {i}", duration_s=duration)
        if rng.random() < 0.2:
            row["limit_s"] = duration + rng.choice((-1, 0, 30))
        if rng.random() < 0.15:
            row["fixed_start_s"] = planned + rng.choice((-120, 0, 45, 600))
        if rng.random() < 0.15:
            row["end_action"] = EndAction.ADVANCE
        if rng.random() < 0.25:
            row["roll"] = True  # the clock starts it at its planned time
        rows.append(row)
        planned += duration
    cuts = sorted(rng.sample(range(1, count), min(3, count - 1))) if count > 1 else []
    bounds = [0, *cuts, count]
    groups = [
        (f"Part {g}", bounds[g], bounds[g + 1] - 1)
        for g in range(len(bounds) - 1)
        if rng.random() < 0.7
    ]
    return make_agenda(rows, start="15:00", end="23:00", groups=groups)


def edited(agenda: Agenda, rng: random.Random) -> Agenda:
    """The agenda saved again with one slot changed, or one segment gone."""
    segments = list(agenda.segments)
    if len(segments) > 2 and rng.random() < 0.5:
        del segments[rng.randrange(len(segments))]
        segments = [dataclasses.replace(s, index=i) for i, s in enumerate(segments)]
        return dataclasses.replace(agenda, segments=tuple(segments), groups=())
    k = rng.randrange(len(segments))
    segments[k] = dataclasses.replace(segments[k], duration_s=segments[k].duration_s + 17)
    return dataclasses.replace(agenda, segments=tuple(segments))


def act(engine: ShowEngine, clock: FakeClock, rng: random.Random) -> str:
    """One random operator action (or a wall-clock jump); returns its name."""
    n = len(engine.agenda.segments)
    choice = rng.choice(
        (
            "start", "start", "toggle", "next", "next", "next", "previous", "goto", "add",
            "remove", "media", "media_now", "reset", "undo", "undo", "end", "reload", "jump",
            "plan", "roll",
        )
    )  # fmt: skip
    if choice == "start":
        engine.start()
    elif choice == "toggle":
        engine.toggle()
    elif choice == "next":
        clock.advance(0.6)  # past the clicker-bounce guard
        engine.next()
    elif choice == "previous":
        engine.previous()
    elif choice == "goto":
        engine.goto(rng.randrange(n))
    elif choice == "add":
        engine.add_time(rng.choice((10, 60, 0.25)))
    elif choice == "remove":
        engine.add_time(-rng.choice((10, 60, 600)))
    elif choice == "media":
        engine.set_media_length(rng.choice((0.0, 12.48, 299.5, 601.0)), rng.randrange(n))
    elif choice == "media_now":
        engine.set_media_length(rng.choice((3.0, 200.04)))
    elif choice == "reset":
        engine.reset_segment()
    elif choice == "undo":
        engine.undo()
    elif choice == "end":
        engine.end_show()
    elif choice == "reload":
        engine.replace_agenda(edited(engine.agenda, rng))
    elif choice == "plan":
        picked = rng.sample(range(n), min(n, rng.choice((1, 2, 3))))
        engine.apply_plan({i: rng.choice((1.0, 45.0, 240.5, 900.0)) for i in picked})
    elif choice == "roll":
        engine.set_rolling(rng.random() < 0.5)
    elif choice == "jump":
        clock.jump_wall(rng.choice((-30.0, 3600.0)))
        engine.poll()  # the engine re-anchors the wall clock when it next looks
    return choice
