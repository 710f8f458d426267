"""Two machines, one show, without sockets: a follower's copy of the primary's journal
(``core.replica``), the terms that keep two primaries from both counting, the actions a
takeover sets aside (journal schema 3, and the report), and a follower's engine fed the
primary's actions ending up exactly where the primary's is."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from show_builders import SEED_ROWS, at, make_agenda

from runofshow.core import actions as act
from runofshow.core.actions import Action, MemoryJournal
from runofshow.core.agenda_codec import decode_agenda, encode_agenda
from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.commands import execute
from runofshow.core.engine import ShowEngine
from runofshow.core.journal import DB_NAME, JournalEntry, ShowStore
from runofshow.core.replica import (
    PeerProtocolError,
    Term,
    catch_up,
    entry_of,
    prefix_digest,
    reconcile,
    record_of,
    relocate_videos,
    row_of,
    show_of,
)
from runofshow.core.report import build_report, render_json, render_table
from runofshow.core.resume import open_show

# The journal as runofshow wrote it before two machines could share a show (schema 2).
VERSION_2 = """
CREATE TABLE shows (
    id INTEGER PRIMARY KEY, agenda_path TEXT NOT NULL, agenda_sha256 TEXT,
    show_date TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('live', 'rehearsal')),
    created_wall REAL NOT NULL, ended_wall REAL, anchor TEXT, segment_ids TEXT NOT NULL
);
CREATE INDEX shows_by_agenda ON shows (agenda_path, mode, show_date);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY, show_id INTEGER NOT NULL REFERENCES shows (id),
    seq INTEGER NOT NULL, name TEXT NOT NULL, t REAL NOT NULL, wall REAL NOT NULL,
    mono REAL NOT NULL, boot_id TEXT NOT NULL, args TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_by_show ON actions (show_id, id);
INSERT INTO shows VALUES (1, '/x/agenda.yaml', NULL, '2022-11-30', 'live', 0, NULL, NULL, '[]');
INSERT INTO actions VALUES (1, 1, 1, 'start', 10.0, 1000.0, 10.0, 'boot', '{}', 'key');
PRAGMA user_version = 2;
"""


def version_2_file(folder: Path) -> Path:
    folder.mkdir(parents=True)
    conn = sqlite3.connect(folder / DB_NAME)
    conn.executescript(VERSION_2)
    conn.close()
    return folder


def entries_of(engine: ShowEngine, term: int = 0) -> list[JournalEntry]:
    return [JournalEntry(a, term) for a in engine.journal.actions()]


# -- the journal, schema 3 --------------------------------------------------------------------


def test_a_version_2_journal_is_migrated_and_its_actions_keep_term_0(tmp_path):
    folder = version_2_file(tmp_path / "state")
    with ShowStore(folder) as store:
        assert store.notice is None, store.notice
        record = store.show(1)
        assert record is not None and record.uid is None and record.term == 0
        journal = store.journal(1)
        assert [e.term for e in journal.entries()] == [0]
        journal.term = 3
        journal.append(Action(2, "pause", 11.0, 1001.0, 11.0, "boot", {}, "http"))
        assert [(e.action.name, e.term) for e in journal.entries()] == [("start", 0), ("pause", 3)]
        assert store.set_aside_entries(1) == []
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()


def test_a_version_2_journal_is_read_as_it_is_when_only_read(tmp_path):
    folder = version_2_file(tmp_path / "state")
    before = (folder / DB_NAME).read_bytes()
    with ShowStore(folder, read_only=True) as store:
        assert [(e.action.source, e.term) for e in store.journal(1).entries()] == [("key", 0)]
        assert store.show(1).term == 0 and store.set_aside_entries(1) == []
    assert (folder / DB_NAME).read_bytes() == before


def test_a_show_gets_its_uid_once_and_keeps_it(store, seed_like):
    record = store.new_show(seed_like, dt.date(2022, 11, 30))
    first = store.identify(record.id, "aaaaaaaaaaaaaaaa")
    again = store.identify(record.id, "bbbbbbbbbbbbbbbb")
    assert first.uid and first.uid == again.uid
    assert again.term_owner == "aaaaaaaaaaaaaaaa"  # the first machine to share it owns term 0
    assert store.find_uid(first.uid) == again


def test_a_followers_copy_is_never_resumed_as_this_machines_own_show(store, seed_like, clock):
    """``runofshow agenda.yaml`` on a laptop that followed another's show of the same file
    starts its own show: the copy is the other machine's."""
    primary = store.new_show(seed_like, dt.date(2022, 11, 30), created_wall=clock.wall())
    like = store.identify(primary.id, "aaaaaaaaaaaaaaaa")
    store.mark_ended(primary.id, clock.wall())
    copy = store.new_replica(like)
    assert copy.replica and copy.uid == like.uid and copy.id != primary.id
    opened = open_show(store, seed_like, clock)
    assert opened.record.id not in (primary.id, copy.id) and not opened.resumed


def test_setting_the_tail_aside_moves_it_whole_and_keeps_every_field(store, seed_like, clock):
    record = store.new_show(seed_like, dt.date(2022, 11, 30))
    journal = store.journal(record.id)
    engine = ShowEngine(seed_like, clock, journal)
    for step in (engine.start, engine.next, engine.next, lambda: engine.add_time(60)):
        clock.advance(5)
        step()
    before = journal.entries()
    kept = store.set_aside_tail(record.id, 2, takeover_wall=at("15:21:04"), found_on="mc")
    assert kept == before[2:]
    assert journal.entries() == before[:2]
    aside = store.set_aside_entries(record.id)
    assert [a.entry for a in aside] == before[2:]
    assert {(a.takeover_wall, a.found_on) for a in aside} == {(at("15:21:04"), "mc")}
    # Told again by the machine that had them (the same actions), nothing is added twice.
    assert store.add_set_aside(record.id, before[2:], at("15:21:04"), "mc") == 0
    assert len(store.set_aside_entries(record.id)) == 2


# -- rows -------------------------------------------------------------------------------------


def test_a_row_goes_over_the_wire_and_back_unchanged(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    engine.start()
    engine.send_message("다음: 김발표", flash=True)
    engine.apply_plan({5: 240.0})
    engine.replace_agenda(seed_like)
    for action in engine.actions:
        entry = JournalEntry(action, 2)
        wire = json.loads(json.dumps(row_of(entry)))
        back = entry_of(wire)
        assert back.term == 2 and back.action.name == action.name
        assert prefix_digest([back]) == prefix_digest([JournalEntry(_stored(action), 2)])
    reload = row_of(JournalEntry(engine.actions[-1]))
    assert "agenda" not in reload["args"] and "roll" not in reload["args"]


def _stored(action: Action) -> Action:
    """As the journal keeps it: a reload's in-memory agenda left out."""
    args = {k: v for k, v in action.args.items() if k not in ("agenda", "roll")}
    return Action(action.seq, action.name, action.t, action.wall, action.mono, action.boot_id,
                  args, action.source)  # fmt: skip


GOOD = {"seq": 4, "name": "goto", "t": 1.5, "wall": 2.0, "mono": 3.0, "boot_id": "b",
        "args": {"index": 3}, "source": "key", "term": 0}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": "format_disk"}, "names no action"),
        ({"seq": 0}, "seq must be at least 1"),
        ({"seq": True}, "seq must be a whole number"),
        ({"t": "soon"}, "t must be a number"),
        ({"t": float("inf")}, "finite"),
        ({"args": {"index": "3"}}, "args.index must be a whole number"),
        ({"args": {}}, "has no index"),
        ({"args": []}, "args must be a JSON object"),
        ({"term": -1}, "term must be at least 0"),
        ({"boot_id": None}, "boot_id must be text"),
        # Numbers a hostile primary may send that the engine here could never have
        # journaled: a time no clock reads (every countdown drawn from it overflowed and
        # froze), a term or seq SQLite cannot hold (an uncaught OverflowError on every
        # join), time added past what the command table allows.
        ({"t": 1e308}, "t is not a time a clock can read"),
        ({"t": 10**400}, "t must be a finite number"),  # float() of it raised OverflowError
        ({"wall": -1e300}, "wall is not a time a clock can read"),
        ({"seq": 2**63}, "seq is out of range"),
        ({"term": 2**63}, "term is out of range"),
        ({"args": {"index": 10**30}}, "args.index is out of range"),
        ({"name": "add_time", "args": {"seconds": 1e308}}, "seconds must be seconds within a day"),
        ({"name": "media", "args": {"length_s": -5}}, "length_s must not be negative"),
        ({"name": "media", "args": {"length_s": 1e9}}, "length_s must be seconds within a day"),
        ({"name": "reload", "args": {"map": [0], "fallback": -7}}, "fallback must be at least 0"),
    ],
)
def test_a_bad_row_is_refused_with_words_naming_the_field(change, words):
    with pytest.raises(PeerProtocolError, match=words):
        entry_of({**GOOD, **change})


def test_a_row_missing_a_field_names_it():
    row = dict(GOOD)
    del row["mono"]
    with pytest.raises(PeerProtocolError, match="has no mono"):
        entry_of(row)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(GOOD)) | st.text(max_size=4), JSONISH, max_size=10),
    st.sampled_from(sorted(act.ACTION_NAMES)),
)
def test_any_row_either_folds_or_is_refused_in_words(row, name):
    """Whatever arrives, it is a checked row the fold can apply without raising, or a
    ``PeerProtocolError``: never another exception, now or when folded."""
    from runofshow.core.fold import ShowState

    agenda = make_agenda(SEED_ROWS)
    row = {**GOOD, "name": name, **row}
    try:
        entry = entry_of(row)
    except PeerProtocolError:
        return
    state = ShowState.initial(agenda, None)
    if state.can_apply(entry.action):
        state.apply(entry.action)


# -- catching up ------------------------------------------------------------------------------


def _journal(seed_like, clock, steps: int, seed: int = 1) -> list[JournalEntry]:
    rng = random.Random(seed)
    engine = ShowEngine(seed_like, clock)
    engine.start()
    for _ in range(steps):
        clock.advance(rng.uniform(0.6, 20))
        rng.choice([engine.next, engine.pause, engine.resume, lambda: engine.add_time(10)])()
    return entries_of(engine)


def test_a_follower_behind_gets_only_what_it_lacks(seed_like, clock):
    primary = _journal(seed_like, clock, 20)
    held = primary[:7]
    plan = catch_up(len(held), prefix_digest(held), primary)
    assert (plan.start, plan.resync) == (7, False)
    done = reconcile(held, plan.start, primary[plan.start :], plan.resync)
    assert done.keep == 7 and done.set_aside == () and [*held, *done.append] == primary


def test_a_follower_whose_rows_differ_keeps_the_common_part_and_sets_the_rest_aside(
    seed_like, clock
):
    """The primary that comes back after a takeover: it had journaled two actions the new
    primary never got; they go aside, and the new primary's rows take their place."""
    common = _journal(seed_like, clock, 10)
    mine = [*common, *(JournalEntry(a.action, 0) for a in _journal(seed_like, clock, 2, 7)[:2])]
    mine = [JournalEntry(_seq(e.action, i + 1), e.term) for i, e in enumerate(mine)]
    theirs = [*common, JournalEntry(_seq(common[0].action, len(common) + 1), 1)]
    plan = catch_up(len(mine), prefix_digest(mine), theirs)
    assert plan == plan.__class__(0, True)
    done = reconcile(mine, 0, theirs, True)
    assert done.keep == len(common)
    assert list(done.set_aside) == mine[len(common) :]
    assert list(done.append) == theirs[len(common) :]


def _seq(action: Action, seq: int) -> Action:
    return Action(seq, action.name, action.t, action.wall, action.mono, action.boot_id,
                  action.args, action.source)  # fmt: skip


def test_a_catch_up_that_does_not_start_where_the_copy_ends_is_refused(seed_like, clock):
    primary = _journal(seed_like, clock, 5)
    with pytest.raises(PeerProtocolError, match="holds 2"):
        reconcile(primary[:2], 3, primary[3:], False)


def test_terms_order_by_number_then_owner():
    first = Term(0, "primary")
    assert Term(1, "a").outranks(first) and first.after("b") == Term(1, "b")
    assert Term(1, "b").outranks(Term(1, "a"))  # two took over at once: one of them wins
    assert not first.outranks(first)


def test_the_show_record_goes_over_the_wire(store, seed_like, clock):
    anchor = RehearsalClock.starting_at(clock, at("14:59:30"), speed=2).anchor
    record = store.new_show(seed_like, dt.date(2022, 11, 30), "rehearsal", anchor)
    record = store.identify(record.id, "aaaaaaaaaaaaaaaa")
    back = record_of(json.loads(json.dumps(show_of(record))))
    assert back.anchor == anchor and back.uid == record.uid and back.replica
    assert (back.show_date, back.mode, back.segment_ids) == (
        record.show_date, record.mode, record.segment_ids
    )  # fmt: skip
    with pytest.raises(PeerProtocolError, match="anchor speed"):
        record_of({**show_of(record), "anchor": {**show_of(record)["anchor"], "speed": 600}})


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"term": 2**63}, "term is out of range"),
        ({"created_wall": 1e308}, "created_wall is not a time a clock can read"),
        ({"ended_wall": 1e308}, "ended_wall is not a time a clock can read"),
        ({"term_wall": -1e308}, "term_wall is not a time a clock can read"),
        ({"anchor": {"sim_wall": 1e308}}, "anchor is not a time a clock can read"),
        ({"anchor": {"real_mono": 1e308}}, "anchor is not a time a clock can read"),
    ],
)
def test_a_show_record_with_numbers_no_engine_could_run_on_is_refused(
    store, seed_like, clock, change, words
):
    """A welcome whose show a follower's engine could not draw (a date past the year 9999
    froze its countdown, a term past SQLite's integers raised on every join) is refused."""
    anchor = RehearsalClock.starting_at(clock, at("14:59:30"), speed=2).anchor
    record = store.new_show(seed_like, dt.date(2022, 11, 30), "rehearsal", anchor)
    show = show_of(store.identify(record.id, "aaaaaaaaaaaaaaaa"))
    if "anchor" in change:
        change = {"anchor": {**show["anchor"], **change["anchor"]}}
    with pytest.raises(PeerProtocolError, match=words):
        record_of({**show, **change})


# -- a follower's engine ----------------------------------------------------------------------


def test_a_followers_engine_fed_the_primarys_rows_shows_the_same_show(seed_like):
    """Actions of every kind, a reload with a changed agenda and an undo, copied row by row
    (through JSON, as on the wire) into a follower's engine on the same clock: at every
    instant it says what the primary says."""
    clock = FakeClock(wall=at("14:59:00"), mono=10_000.0)
    primary = ShowEngine(seed_like, clock)
    follower = ShowEngine(seed_like, clock, MemoryJournal())
    follower.forward = lambda *_: pytest.fail("a follower never journals by itself here")
    longer = make_agenda([*SEED_ROWS, dict(title="Encore", duration_s=240)])
    rng = random.Random(5)
    steps = [primary.start, primary.next, primary.pause, primary.resume, primary.undo,
             lambda: primary.add_time(rng.choice([10, -60])), lambda: primary.goto(4),
             lambda: primary.send_message("곧 마무리"), lambda: primary.set_blackout(True),
             lambda: primary.apply_plan({9: 420}), lambda: primary.set_media_length(95, 8),
             lambda: primary.replace_agenda(longer)]  # fmt: skip
    sent = 0
    for _ in range(120):
        clock.advance(rng.uniform(0.6, 40))
        rng.choice(steps)()
        rows = [json.loads(json.dumps(row_of(JournalEntry(a)))) for a in primary.actions[sent:]]
        sent = len(primary.actions)
        agenda = decode_agenda(encode_agenda(primary.agenda))
        follower.adopt([entry_of(r).action for r in rows], agenda)
        for probe in (0.0, 0.3, 7.0):
            clock.advance(probe)
            assert follower.now() == primary.now()
        assert follower.timeline() == primary.timeline()


def test_a_followers_actions_go_to_its_primary_and_do_nothing_here(seed_like, clock):
    engine = ShowEngine(seed_like, clock)
    sent: list[tuple[str, dict, str]] = []
    engine.forward = lambda name, args, source: sent.append((name, args, source))
    assert not execute(engine, "start", source="key").applied
    assert not engine.set_media_length(95.5, 8)
    assert engine.actions == [] and engine.status.value == "ready"
    assert sent == [("start", {}, "key"), ("media", {"length_s": 95.5, "index": 8}, "app")]


class FlakyJournal(MemoryJournal):
    def __init__(self) -> None:
        super().__init__()
        self.broken = False

    def append(self, action: Action) -> None:
        if self.broken:
            raise OSError("disk full")
        super().append(action)


def test_only_durable_actions_are_streamed_and_in_journal_order(seed_like, clock):
    """A primary streams an action once its journal holds it: one the disk refused goes out
    when the disk takes it again, in its place, never before."""
    journal = FlakyJournal()
    engine = ShowEngine(seed_like, clock, journal)
    streamed: list[int] = []
    engine.subscribe_journaled(lambda action: streamed.append(action.seq))
    engine.start()
    journal.broken = True
    clock.advance(5)
    engine.next()
    assert streamed == [1]
    journal.broken = False
    clock.advance(5)
    engine.add_time(10)
    assert streamed == [1, 2, 3] == [a.seq for a in journal.actions()]


# -- the report -------------------------------------------------------------------------------


def test_the_report_lists_what_a_takeover_set_aside_apart_from_the_show(store, seed_like, clock):
    record = store.new_show(seed_like, dt.date(2022, 11, 30), created_wall=clock.wall())
    journal = store.journal(record.id)
    engine = ShowEngine(seed_like, clock, journal)
    clock.advance(at("15:00:00") - clock.wall())
    engine.start()
    clock.advance(300)
    engine.next()
    clock.advance(10)
    engine.send_message("Wrap up")  # journaled by the old primary, never sent
    store.set_aside_tail(record.id, 2, takeover_wall=at("15:21:04"), found_on="mc-laptop")
    actions = store.journal(record.id).actions()
    report = build_report(seed_like, record, actions, set_aside=store.set_aside_entries(record.id))
    text = render_table(report)
    assert "Not part of the show after the takeover at 15:21:04" in text
    assert "15:05:10  #3 message(flash=False, text=Wrap up) from app, on mc-laptop" in text
    data = json.loads(render_json(report))
    assert data["set_aside"][0]["name"] == "message"
    assert data["set_aside"][0]["takeover"].startswith("2022-11-30T15:21:04")
    assert report.segments[1].actual_start is not None  # the show itself is unchanged


def test_a_video_desk_finds_the_primarys_files_by_name_in_its_own_folder(tmp_path):
    here = tmp_path / "media"
    here.mkdir()
    (here / "sponsor-reel.mp4").write_bytes(b"")
    rows = [dict(r) for r in SEED_ROWS]
    rows[8]["video"] = Path("/elsewhere/on/the/mc/laptop/sponsor-reel.mp4")
    rows[9]["video"] = Path("/elsewhere/missing.mp4")
    agenda, missing = relocate_videos(make_agenda(rows), here)
    assert agenda.segments[8].video == (here / "sponsor-reel.mp4").resolve()
    assert missing == ["missing.mp4"]
    assert agenda.segments[0] == make_agenda(rows).segments[0]
