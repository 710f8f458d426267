"""The command table: one row per operator command, and ``execute``, the one path from any
source (key, menu, network, OSC) to the show."""

from __future__ import annotations

import dataclasses

import pytest

from runofshow.core import actions as act
from runofshow.core.agenda import Agenda, Cue
from runofshow.core.clock import FakeClock
from runofshow.core.commands import (
    BY_NAME,
    COMMANDS,
    CommandError,
    Scope,
    execute,
    parse_args,
)
from runofshow.core.engine import ShowEngine, Status

# Arguments that make each parameterised show command do something on a fresh, started show.
EXAMPLE_ARGS = {
    "goto": {"segment": "3"},
    "add": {"seconds": "30"},
    "message": {"text": "Mic check", "flash": "on"},
    "plan": {"slots": "s7=3m, s8=+30s"},
}


def started(agenda: Agenda, clock: FakeClock) -> ShowEngine:
    engine = ShowEngine(agenda, clock)
    engine.start()
    clock.advance(5)
    return engine


def test_names_are_unique_and_keys_belong_to_one_command():
    """Two rows with one name, or one key pressing two commands, would make a key ambiguous
    (Qt then runs neither)."""
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    keys = [key for command in COMMANDS for key in command.keys]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_every_show_command_is_remote_and_nothing_else_is():
    """The network may run show commands and "take over the show" (a follower's, so that a
    serving follower answers /api/takeover) only: never open a file or quit the app."""
    for command in COMMANDS:
        assert command.remote == (command.scope in (Scope.SHOW, Scope.PEER)), command.name
        assert (command.call is not None) == (command.scope is Scope.SHOW), command.name
    assert [c.name for c in COMMANDS if c.scope is Scope.PEER] == ["takeover"]


@pytest.mark.parametrize(
    "name", [c.name for c in COMMANDS if c.scope is Scope.SHOW and c.name not in ("start",)]
)
def test_every_show_command_acts_through_the_journal(seed_like, clock, name):
    """Each show command, run through ``execute`` on a running show, journals exactly what
    it did before it took effect, and says where in the journal."""
    seed = dataclasses.replace(seed_like.segments[1], cue=Cue("intro video"))
    agenda = dataclasses.replace(
        seed_like, segments=(seed_like.segments[0], seed, *seed_like.segments[2:])
    )
    if name == "roll":  # taking over needs a show in roll mode
        rolled = tuple(dataclasses.replace(s, roll=True) for s in agenda.segments)
        agenda = dataclasses.replace(agenda, segments=rolled)
    engine = started(agenda, clock)
    if name == "resume":
        engine.pause()
    if name in ("clear_message",):
        engine.send_message("on stage")
    if name == "acknowledge":
        clock.advance(1)
        engine.next()  # segment 2, cued, starts: its cue is at GO
    if name == "go":
        clock.advance(agenda.segments[0].duration_s - 10)  # segment 2's cue in standby
    if name in ("undo", "previous"):
        clock.advance(1)
        engine.next()
    clock.advance(1)
    before = len(engine.actions)
    outcome = execute(engine, name, EXAMPLE_ARGS.get(name, {}))
    assert outcome.applied, outcome.reason
    assert outcome.seq == before + 1 == engine.actions[-1].seq
    assert engine.actions[-1].name in act.ACTION_NAMES


def test_start_is_a_show_command_too(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    outcome = execute(engine, "start")
    assert outcome.applied and engine.status is Status.RUNNING


def test_a_command_that_would_change_nothing_says_why_and_journals_nothing(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    for name, args, reason in (
        ("pause", {}, "the show is not running"),
        ("undo", {}, "there is nothing to undo"),
        ("goto", {"segment": "99"}, "no segment '99': give a number from 1 to 14 or an id"),
        ("clear_message", {}, "there is no message on stage"),
        ("acknowledge", {}, "no cue is at GO"),
        ("message", {"text": "   "}, "the message is empty"),
    ):
        outcome = execute(engine, name, args)
        assert (outcome.applied, outcome.reason) == (False, reason), name
    assert engine.actions == []


def test_goto_takes_a_number_as_people_count_or_an_id(seed_like, clock):
    engine = started(seed_like, clock)
    assert execute(engine, "goto", {"segment": "4"}).applied
    assert engine.now().index == 3
    target = seed_like.segments[6].id
    assert execute(engine, "goto", {"segment": target}).applied
    assert engine.now().index == 6


def test_blackout_toggles_or_sets(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    assert execute(engine, "blackout").applied and engine.now().blackout
    assert execute(engine, "blackout", {"on": "off"}).applied and not engine.now().blackout
    refused = execute(engine, "blackout", {"on": "false"})
    assert not refused.applied and refused.reason == "the stage display is already lit"


def test_arguments_are_checked_and_named():
    with pytest.raises(CommandError, match="add needs seconds"):
        parse_args(BY_NAME["add"], {})
    with pytest.raises(CommandError, match="seconds must be a number"):
        parse_args(BY_NAME["add"], {"seconds": "lots"})
    with pytest.raises(CommandError, match="within a day"):
        parse_args(BY_NAME["add"], {"seconds": "1e30"})
    with pytest.raises(CommandError, match="takes no argument colour"):
        parse_args(BY_NAME["next"], {"colour": "red"})
    with pytest.raises(CommandError, match="on or off"):
        parse_args(BY_NAME["blackout"], {"on": "maybe"})


def test_only_show_commands_can_be_executed(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    with pytest.raises(CommandError, match="quit is not a show command"):
        execute(engine, "quit")
    with pytest.raises(CommandError, match="there is no command"):
        execute(engine, "format_disk")


def test_a_message_is_one_line_of_at_most_80_characters(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    execute(engine, "message", {"text": "line one\nline two  " + "x" * 200})
    message = engine.now().message
    assert message is not None and message.text.startswith("line one line two x")
    assert len(message.text) == 80


def test_control_characters_are_dropped_and_an_invisible_message_is_refused(seed_like, clock):
    """A message from the network with NUL and an ESC sequence shows its visible text; one of
    nothing but zero-width characters would put an invisible message on stage: refused."""
    engine = ShowEngine(seed_like, clock)
    execute(engine, "message", {"text": "\x00마무리\x1b[31m 부탁드립니다\x07"})
    message = engine.now().message
    assert message is not None and message.text == "마무리[31m 부탁드립니다"
    refused = execute(engine, "message", {"text": "\u200b\ufeff\x00\u2060"})
    assert not refused.applied and refused.reason == "the message is empty"
    assert engine.now().message.text == "마무리[31m 부탁드립니다"


def test_readme_lists_every_key():
    """README's key table names every key of the table (as people write them), so the page
    a newcomer reads cannot fall behind the app."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### The keys") :].split("\n\n", 2)[2]
    written = {"PgDown": "PageDown", "PgUp": "PageUp", "Return": "Enter", "Esc": "Esc"}
    for command in COMMANDS:
        for key in command.keys:
            if key.startswith(("Num+", "Shift+")) or key in ("Enter", "_"):
                continue  # the keypad's and Shift's twins of a listed key
            assert f"{written.get(key, key)}" in table, (command.name, key)
