"""Where each action came from is journaled with it: the key, the menu, the network (HTTP,
WebSocket, OSC) or the app itself. Older journals (schema 1, no sources) are migrated when
opened for writing and read as they are when they may only be read."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from runofshow.core import actions as act
from runofshow.core.clock import FakeClock
from runofshow.core.commands import execute
from runofshow.core.engine import ShowEngine, StateChanged
from runofshow.core.journal import DB_NAME, SCHEMA_VERSION, ShowStore

# The journal as runofshow wrote it before sources were recorded (schema version 1).
VERSION_1 = """
CREATE TABLE shows (
    id INTEGER PRIMARY KEY, agenda_path TEXT NOT NULL, agenda_sha256 TEXT,
    show_date TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('live', 'rehearsal')),
    created_wall REAL NOT NULL, ended_wall REAL, anchor TEXT, segment_ids TEXT NOT NULL
);
CREATE INDEX shows_by_agenda ON shows (agenda_path, mode, show_date);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY, show_id INTEGER NOT NULL REFERENCES shows (id),
    seq INTEGER NOT NULL, name TEXT NOT NULL, t REAL NOT NULL, wall REAL NOT NULL,
    mono REAL NOT NULL, boot_id TEXT NOT NULL, args TEXT NOT NULL
);
CREATE INDEX actions_by_show ON actions (show_id, id);
INSERT INTO shows VALUES (1, '/x/agenda.yaml', NULL, '2022-11-30', 'live', 0, NULL, NULL, '[]');
INSERT INTO actions VALUES (1, 1, 1, 'start', 10.0, 1000.0, 10.0, 'boot', '{}');
PRAGMA user_version = 1;
"""


def version_1_file(folder: Path) -> Path:
    folder.mkdir(parents=True)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.executescript(VERSION_1)
    conn.close()
    return folder


def test_a_command_journals_its_source_and_the_apps_follow_up_says_app(seed_like, clock):
    """The operator's action carries the source its command came from; an action the app
    journals in response, inside the same command (a video's length after a reset), is the
    app's own; an action journaled outside any command (a reload) is the app's too."""
    engine = ShowEngine(seed_like, clock)
    engine.subscribe(
        lambda e: (
            isinstance(e, StateChanged) and e.action == act.RESET and engine.set_media_length(3)
        )
    )
    assert execute(engine, "start", source="http").applied
    clock.advance(2)
    assert execute(engine, "reset", source="osc").applied
    assert execute(engine, "blackout", {"on": "on"}, source="key").applied
    assert engine.replace_agenda(seed_like) or True
    sources = [(a.name, a.source) for a in engine.actions]
    assert sources[:4] == [
        ("start", "http"), ("reset", "osc"), ("media", act.APP_SOURCE), ("blackout", "key")
    ]  # fmt: skip
    assert all(a.source == act.APP_SOURCE for a in engine.actions[4:])


def test_a_refused_command_leaves_no_source_behind(seed_like, clock):
    """A command that journals nothing must not lend its source to the next action."""
    engine = ShowEngine(seed_like, clock)
    assert not execute(engine, "pause", source="ws").applied
    engine.start()
    assert engine.actions[-1].source == act.APP_SOURCE


def test_sources_survive_the_journal_on_disk(tmp_path, seed_like):
    clock = FakeClock(wall=1_669_788_000.0)
    with ShowStore(tmp_path / "state") as store:
        record = store.new_show(seed_like, dt.date(2022, 11, 30))
        engine = ShowEngine(seed_like, clock, store.journal(record.id))
        execute(engine, "start", source="http")
        execute(engine, "add", {"seconds": "60"}, source="ws")
        read = store.journal(record.id).actions()
    assert [(a.name, a.source) for a in read] == [("start", "http"), ("add_time", "ws")]


def test_a_version_1_journal_is_migrated_when_opened_for_writing(tmp_path):
    """The old actions keep every field, with source ""; new ones record theirs; the file
    says the current version afterwards."""
    folder = version_1_file(tmp_path / "state")
    with ShowStore(folder) as store:
        assert store.notice is None, store.notice  # not taken for damage
        journal = store.journal(1)
        assert journal.actions() == [act.Action(1, "start", 10.0, 1000.0, 10.0, "boot", {}, "")]
        journal.append(act.Action(2, "pause", 11.0, 1001.0, 11.0, "boot", {}, "http"))
        assert [a.source for a in journal.actions()] == ["", "http"]
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    conn.close()


def test_a_version_1_journal_is_read_as_it_is_when_only_read(tmp_path):
    """``runofshow report`` on an old journal: read, not migrated, not set aside."""
    folder = version_1_file(tmp_path / "state")
    before = (folder / DB_NAME).read_bytes()
    with ShowStore(folder, read_only=True) as store:
        assert [(a.name, a.source) for a in store.journal(1).actions()] == [("start", "")]
    assert (folder / DB_NAME).read_bytes() == before
