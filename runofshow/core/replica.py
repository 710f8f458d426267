"""Two machines, one show: the rules a follower's copy of its primary's journal obeys.

A primary streams its journal to each follower (docs/two-machines.md): every action from the
first, then each new one as it is written. The follower keeps its own durable copy and folds
it with the same engine. This module holds what both sides must agree on, without sockets
(``runofshow._qt.peers`` carries the messages):

- **Rows** (``row_of`` / ``entry_of``): one journaled action as JSON, with the term it was
  journaled in. A row from the network is data: every field is checked, every argument the
  fold reads has the type it needs, and anything else is a ``PeerProtocolError`` naming the
  field (never a traceback, never a fold that raises later).
- **Catching up** (``catch_up`` / ``reconcile``): a follower says how many rows it holds and
  a digest of them (``prefix_digest``). If the primary's first rows are those, it sends the
  rest; if not (a primary that came back after a takeover, a follower that holds actions the
  new primary never had), it sends everything and the follower keeps the common prefix,
  **sets aside** what it had beyond it (listed in the report, never merged silently) and
  takes the primary's rows from there.
- **Terms** (``Term``): each takeover starts a new term; of two primaries of one show, the
  one in the higher term (then the higher peer id, should two take over at once) is the
  primary, and the other follows it.
- **The show itself** (``show_of`` / ``record_of``): the record a follower's copy is made
  from (uid, date, mode, rehearsal anchor, term).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.clock import RehearsalAnchor
from runofshow.core.digest import sha256
from runofshow.core.journal import IN_MEMORY_ONLY, JournalEntry, ShowRecord
from runofshow.core.peer_clock import MAX_CLOCK_S

__all__ = [
    "PROTOCOL",
    "CatchUp",
    "PeerProtocolError",
    "Reconciled",
    "Term",
    "catch_up",
    "clock_reading",
    "common_prefix",
    "entry_of",
    "prefix_digest",
    "reconcile",
    "record_of",
    "relocate_videos",
    "row_of",
    "show_of",
]

# The peer protocol's version: both machines must speak the same one (and, since the agenda
# travels as ``agenda_codec`` JSON, run the same runofshow).
PROTOCOL = 1
MAX_TEXT = 4096  # any one string in a row (a stage message is at most 80 characters)
MAX_INTEGER = 2**53  # any whole number (a seq, a term, an index): what SQLite and JSON hold
MAX_SHIFT_S = 24 * 3600  # time added, a video's length: within a day, as the command table says


class PeerProtocolError(ValueError):
    """A message from another machine that this one cannot take; the words say which part."""


# -- rows ------------------------------------------------------------------------------------


def _stored_args(action: Action) -> dict[str, Any]:
    """The arguments as the journal stores them (a reload's in-memory agenda left out)."""
    skipped = IN_MEMORY_ONLY.get(action.name, frozenset())
    return {k: v for k, v in action.args.items() if k not in skipped}


def row_of(entry: JournalEntry) -> dict[str, Any]:
    """One journaled action as the primary sends it."""
    a = entry.action
    return {
        "seq": a.seq,
        "name": a.name,
        "t": a.t,
        "wall": a.wall,
        "mono": a.mono,
        "boot_id": a.boot_id,
        "args": _stored_args(a),
        "source": a.source,
        "term": entry.term,
    }


_ROW_FIELDS = frozenset({"seq", "name", "t", "wall", "mono", "boot_id", "args", "source", "term"})


def entry_of(row: object, where: str = "a row") -> JournalEntry:
    """A row from the network, checked field by field; ``PeerProtocolError`` says what is
    wrong with it."""
    if not isinstance(row, dict):
        raise PeerProtocolError(f"{where} is not a JSON object")
    missing = sorted(_ROW_FIELDS - set(row))
    if missing:
        raise PeerProtocolError(f"{where} has no {', '.join(missing)}")
    name = row["name"]
    if not isinstance(name, str) or name not in act.ACTION_NAMES:
        raise PeerProtocolError(f"{where} names no action this version knows: {str(name)[:40]!r}")
    where = f"{where} ({name})"
    action = Action(
        seq=_integer(row["seq"], f"{where}: seq", low=1),
        name=name,
        t=clock_reading(row["t"], f"{where}: t"),
        wall=clock_reading(row["wall"], f"{where}: wall"),
        mono=clock_reading(row["mono"], f"{where}: mono"),
        boot_id=_text(row["boot_id"], f"{where}: boot_id"),
        args=_checked_args(name, row["args"], f"{where}: args"),
        source=_text(row["source"], f"{where}: source"),
    )
    return JournalEntry(action, _integer(row["term"], f"{where}: term", low=0))


def _integer(value: object, where: str, low: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PeerProtocolError(f"{where} must be a whole number, not {str(value)[:40]!r}")
    if low is not None and value < low:
        raise PeerProtocolError(f"{where} must be at least {low}, not {value}")
    if not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise PeerProtocolError(f"{where} is out of range (more than 2**53)")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PeerProtocolError(f"{where} must be a number, not {str(value)[:40]!r}")
    try:
        number = float(value)
    except OverflowError:  # a whole number of 400 digits
        number = math.inf
    if not math.isfinite(number):
        raise PeerProtocolError(f"{where} must be a finite number")
    return number


def clock_reading(value: object, where: str) -> float:
    """A time on a clock (a wall time, a monotonic reading): a finite number of seconds a
    clock can read and a date can be made of (``MAX_CLOCK_S``: before the year 3000)."""
    number = _number(value, where)
    if abs(number) > MAX_CLOCK_S:
        raise PeerProtocolError(f"{where} is not a time a clock can read")
    return number


def _shift(value: object, where: str) -> float:
    number = _number(value, where)
    if abs(number) > MAX_SHIFT_S:
        raise PeerProtocolError(f"{where} must be seconds within a day")
    return number


def _length(value: object, where: str) -> float:
    number = _shift(value, where)
    if number < 0:
        raise PeerProtocolError(f"{where} must not be negative")
    return number


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise PeerProtocolError(f"{where} must be text, not {str(value)[:40]!r}")
    if len(value) > MAX_TEXT:
        raise PeerProtocolError(f"{where} is longer than {MAX_TEXT} characters")
    return value


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise PeerProtocolError(f"{where} must be true or false, not {str(value)[:40]!r}")
    return value


# What the fold reads of each action's arguments, and the type it needs: (required, check).
_Check = Any
_ARGUMENTS: dict[str, dict[str, tuple[bool, _Check]]] = {
    act.GOTO: {"index": (True, _integer)},
    act.ADD_TIME: {"seconds": (True, _shift)},
    act.MEDIA: {"length_s": (True, _length), "index": (False, _integer)},
    act.ROLL: {"on": (True, _flag)},
    act.BLACKOUT: {"on": (True, _flag)},
    act.MESSAGE: {"text": (True, _text), "flash": (False, _flag)},
    act.ACKNOWLEDGE: {"index": (True, _integer)},
    act.RELOAD: {"fallback": (False, lambda v, w: _integer(v, w, low=0))},
}


def _checked_args(name: str, value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PeerProtocolError(f"{where} must be a JSON object")
    args = dict(value)
    for key, (required, check) in _ARGUMENTS.get(name, {}).items():
        if key in args:
            args[key] = check(args[key], f"{where}.{key}")
        elif required:
            raise PeerProtocolError(f"{where} has no {key}")
    if name == act.PLAN:
        args["slots"] = _slots(args.get("slots"), f"{where}.slots")
    if name == act.RELOAD:
        args["map"] = [_integer(v, f"{where}.map", low=-1) for v in _list(args.get("map"), where)]
        if "ids" in args:
            args["ids"] = [_text(v, f"{where}.ids") for v in _list(args["ids"], where)]
    _json_only(args, where)
    return args


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PeerProtocolError(f"{where} must hold a list")
    return value


def _slots(value: object, where: str) -> list[list[float | int]]:
    pairs = []
    for pair in _list(value, where):
        if not isinstance(pair, list) or len(pair) != 2:
            raise PeerProtocolError(f"{where} must be a list of [segment, seconds] pairs")
        pairs.append([_integer(pair[0], where, low=0), clock_reading(pair[1], where)])
    return pairs


def _json_only(value: object, where: str) -> None:
    """Nothing but what JSON decodes to, and no non-finite numbers (the journal refuses
    them)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PeerProtocolError(f"{where}: {exc}") from None


# -- the digest of a journal's first rows ------------------------------------------------------


def _canonical(entry: JournalEntry) -> bytes:
    row = row_of(entry)
    return json.dumps(row, sort_keys=True, ensure_ascii=False, allow_nan=False).encode("utf-8")


def prefix_digest(entries: Sequence[JournalEntry]) -> str:
    """A digest of these rows in order: two machines with the same digest hold the same
    journal (every field of every row, terms included)."""
    digest = sha256()
    for entry in entries:
        row = _canonical(entry)
        digest.update(len(row).to_bytes(4, "big"))
        digest.update(row)
    return digest.hexdigest()


# -- catching up ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What a primary sends a follower that joins: its rows from ``start`` on; ``resync``
    when the follower's rows are not the primary's first ones (it must compare)."""

    start: int
    resync: bool


def catch_up(have: int, digest: str, entries: Sequence[JournalEntry]) -> CatchUp:
    """The primary's answer to a follower holding ``have`` rows whose digest is ``digest``."""
    if 0 <= have <= len(entries) and prefix_digest(entries[:have]) == digest:
        return CatchUp(have, False)
    return CatchUp(0, True)


def common_prefix(mine: Sequence[JournalEntry], theirs: Sequence[JournalEntry]) -> int:
    """How many first rows two journals share, field for field."""
    count = 0
    for a, b in zip(mine, theirs, strict=False):
        if _canonical(a) != _canonical(b):
            break
        count += 1
    return count


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What a follower does with a catch-up: keep its first ``keep`` rows, set the rest of
    its own aside, and append ``append``."""

    keep: int
    set_aside: tuple[JournalEntry, ...]
    append: tuple[JournalEntry, ...]


def reconcile(
    mine: Sequence[JournalEntry], start: int, rows: Sequence[JournalEntry], resync: bool
) -> Reconciled:
    """The follower's side of a catch-up: ``rows`` are the primary's from ``start``."""
    if not resync:
        if start != len(mine):
            raise PeerProtocolError(
                f"the primary sent rows from {start + 1} but this machine holds {len(mine)}"
            )
        return Reconciled(len(mine), (), tuple(rows))
    if start != 0:
        raise PeerProtocolError("a resynchronisation must start from the first row")
    keep = common_prefix(mine, rows)
    return Reconciled(keep, tuple(mine[keep:]), tuple(rows[keep:]))


# -- terms ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """A term of a show: its number, and the peer id of its primary (which breaks the tie
    when two followers take over at once). Of two primaries, the greater term wins."""

    number: int
    owner: str

    def outranks(self, other: Term) -> bool:
        return self > other

    def after(self, owner: str) -> Term:
        """The term a takeover by ``owner`` starts."""
        return Term(self.number + 1, owner)


# -- the show a follower copies ---------------------------------------------------------------


def show_of(record: ShowRecord) -> dict[str, Any]:
    """The show record as a primary sends it (what a follower's copy is made from)."""
    return {
        "uid": record.uid,
        "agenda_path": record.agenda_path,
        "agenda_sha256": record.agenda_sha256,
        "show_date": record.show_date.isoformat(),
        "mode": record.mode,
        "created_wall": record.created_wall,
        "ended_wall": record.ended_wall,
        "anchor": None if record.anchor is None else asdict(record.anchor),
        "segment_ids": list(record.segment_ids),
        "term": record.term,
        "term_owner": record.term_owner,
        "term_wall": record.term_wall,
    }


def record_of(show: object) -> ShowRecord:
    """A show record from the network (id 0: not this store's), checked."""
    if not isinstance(show, dict):
        raise PeerProtocolError("the show is not a JSON object")
    where = "the show"
    mode = show.get("mode")
    if mode not in ("live", "rehearsal"):
        raise PeerProtocolError(f"{where}: mode must be live or rehearsal, not {mode!r}")
    try:
        show_date = dt.date.fromisoformat(_text(show.get("show_date"), f"{where}: show_date"))
    except ValueError:
        raise PeerProtocolError(f"{where}: show_date must be YYYY-MM-DD") from None
    sha = show.get("agenda_sha256")
    ended = show.get("ended_wall")
    term_wall = show.get("term_wall")
    ids = _list(show.get("segment_ids"), f"{where}: segment_ids")
    return ShowRecord(
        id=0,
        agenda_path=_text(show.get("agenda_path"), f"{where}: agenda_path"),
        agenda_sha256=None if sha is None else _text(sha, f"{where}: agenda_sha256"),
        show_date=show_date,
        mode=mode,
        created_wall=clock_reading(show.get("created_wall"), f"{where}: created_wall"),
        ended_wall=None if ended is None else clock_reading(ended, f"{where}: ended_wall"),
        anchor=_anchor(show.get("anchor"), where),
        segment_ids=tuple(_text(i, f"{where}: segment_ids") for i in ids),
        uid=_text(show.get("uid"), f"{where}: uid"),
        term=_integer(show.get("term"), f"{where}: term", low=0),
        term_owner=_text(show.get("term_owner"), f"{where}: term_owner"),
        term_wall=None if term_wall is None else clock_reading(term_wall, f"{where}: term_wall"),
        replica=True,
    )


def _anchor(value: object, where: str) -> RehearsalAnchor | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PeerProtocolError(f"{where}: anchor must be a JSON object")
    try:
        anchor = RehearsalAnchor(
            real_mono=clock_reading(value["real_mono"], f"{where}: anchor"),
            real_wall=clock_reading(value["real_wall"], f"{where}: anchor"),
            boot_id=_text(value["boot_id"], f"{where}: anchor"),
            sim_wall=clock_reading(value["sim_wall"], f"{where}: anchor"),
            speed=_number(value["speed"], f"{where}: anchor"),
        )
    except KeyError as missing:
        raise PeerProtocolError(f"{where}: anchor has no {missing}") from None
    if not 1.0 <= anchor.speed <= 60.0:
        raise PeerProtocolError(f"{where}: anchor speed must be 1 to 60")
    return anchor


def term_of(record: ShowRecord) -> Term:
    return Term(record.term, record.term_owner)


# -- the video desk ---------------------------------------------------------------------------


def relocate_videos(agenda: Agenda, folder: Path) -> tuple[Agenda, list[str]]:
    """The primary's agenda with each video file that is not at the primary's path on this
    disk looked for by its name in ``folder`` (the video desk's ``--media-dir``); and the
    names found neither way (the segment then stays a plain timer, as on the primary)."""
    missing: list[str] = []
    segments = []
    for segment in agenda.segments:
        video = segment.video
        if video is not None and not video.is_file():
            here = folder / video.name
            if here.is_file():
                segment = dataclasses.replace(segment, video=here.resolve())
            else:
                missing.append(video.name)
        segments.append(segment)
    return dataclasses.replace(agenda, segments=tuple(segments)), missing


def opened_wall(record: ShowRecord) -> float:
    """When the show was first opened, on its own clock (``resume.OpenedShow.opened_wall``):
    a follower's engine places roll mode's starts as the primary's does."""
    return record.created_wall if record.anchor is None else record.anchor.sim_wall
