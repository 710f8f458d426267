"""The journal on disk: every show's actions in one SQLite file, durable before they apply.

The engine appends each operator action to a journal *before* it takes effect, so the file
here is what a crash, a reboot or the post-show report rebuild a show from. One database holds
every show (``shows``) and their actions (``actions``); a show is identified by its agenda file
and its date, and live shows and rehearsals are kept apart by their ``mode``.

Durability: WAL mode with ``synchronous=FULL`` and one transaction per appended action, so
``append`` returns only once the action is on disk. ``sqlite3`` is imported when a store is
opened, not when this module (or the engine) is imported: the GUI's first frame must not wait
for it.

Where: ``state_dir()`` — the ``--state-dir`` option, else ``$RUNOFSHOW_STATE_DIR``, else the
platform's user data folder; always a folder (a file there is refused). A damaged database
(not SQLite, malformed, or of a schema this version does not know) is renamed aside to
``journal.sqlite3.damaged-YYYYmmdd-HHMMSS``, never deleted, and a fresh one is started; a
damaged write-ahead log (``walcheck``: SQLite would silently drop the committed actions in it)
is set aside the same way and what can still be read becomes the new journal;
``ShowStore.notice`` says so. A folder that cannot be written raises ``JournalUnavailable``
naming it (the GUI then resumes read-only, or times in memory). ``read_only=True`` (the report)
changes nothing in the folder.

Which show to resume or open is not decided here but in ``runofshow.core.resume``: this
module only stores and reads.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runofshow.core import actions as act
from runofshow.core.actions import Action
from runofshow.core.agenda import Agenda
from runofshow.core.clock import RehearsalAnchor
from runofshow.core.digest import sha256
from runofshow.core.engine import Mode
from runofshow.core.journal_files import ReadOnlySnapshot, salvage, set_aside
from runofshow.core.peer_clock import MAX_CLOCK_S
from runofshow.core.walcheck import wal_damage

if TYPE_CHECKING:  # sqlite3 is imported lazily, when a store is opened
    import sqlite3
    from collections.abc import Callable

logger = logging.getLogger(__name__)

__all__ = [
    "DB_NAME",
    "ENV_STATE_DIR",
    "SCHEMA_VERSION",
    "AsideEntry",
    "JournalDamaged",
    "JournalEntry",
    "JournalUnavailable",
    "JournalWriteError",
    "ShowRecord",
    "ShowStore",
    "SqliteJournal",
    "StateDirIsAFile",
    "UnjournalableArgument",
    "state_dir",
]

DB_NAME = "journal.sqlite3"
ENV_STATE_DIR = "RUNOFSHOW_STATE_DIR"
APP_NAME = "runofshow"
SCHEMA_VERSION = 3
# Version 1 had no ``actions.source``; version 2 nothing of two machines sharing a show (a
# show's uid and term, each action's term, the actions set aside after a takeover). An older
# file is migrated when it is opened for writing (``_MIGRATIONS``, one step per version) and
# read as it is (the missing columns read as their defaults) when it may only be read.
READABLE_VERSIONS = frozenset({1, 2, SCHEMA_VERSION})
_MIGRATIONS = {
    1: "ALTER TABLE actions ADD COLUMN source TEXT NOT NULL DEFAULT '';",
    2: """
ALTER TABLE shows ADD COLUMN uid TEXT;
ALTER TABLE shows ADD COLUMN term INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shows ADD COLUMN term_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE shows ADD COLUMN term_wall REAL;
ALTER TABLE shows ADD COLUMN replica INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN term INTEGER NOT NULL DEFAULT 0;
CREATE TABLE set_aside (
    id INTEGER PRIMARY KEY,
    show_id INTEGER NOT NULL REFERENCES shows (id),
    seq INTEGER NOT NULL, name TEXT NOT NULL, t REAL NOT NULL, wall REAL NOT NULL,
    mono REAL NOT NULL, boot_id TEXT NOT NULL, args TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '', term INTEGER NOT NULL DEFAULT 0,
    takeover_wall REAL NOT NULL, found_on TEXT NOT NULL DEFAULT ''
);
""",
}
# SQLite's primary result codes that mean "this file is not a sound database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

_SCHEMA = """
CREATE TABLE shows (
    id INTEGER PRIMARY KEY,
    agenda_path TEXT NOT NULL,          -- resolved absolute path of the agenda file
    agenda_sha256 TEXT,                 -- of the file when the show began; NULL if unreadable
    show_date TEXT NOT NULL,            -- ISO date the planned times are on
    mode TEXT NOT NULL CHECK (mode IN ('live', 'rehearsal')),
    created_wall REAL NOT NULL,
    ended_wall REAL,                    -- NULL while the show has not ended
    anchor TEXT,                        -- JSON RehearsalAnchor, rehearsals only
    segment_ids TEXT NOT NULL,          -- JSON list of the agenda's segment ids at creation
    uid TEXT,                           -- the show's name across machines (given when first shared)
    term INTEGER NOT NULL DEFAULT 0,    -- the latest term known here (each takeover starts one)
    term_owner TEXT NOT NULL DEFAULT '',-- the peer id of the machine that is primary in it
    term_wall REAL,                     -- when that term began (the takeover), NULL for term 0
    replica INTEGER NOT NULL DEFAULT 0  -- 1: a copy of another machine's show (this one follows)
);
CREATE INDEX shows_by_agenda ON shows (agenda_path, mode, show_date);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,             -- journal order (seq may repeat after a failed write)
    show_id INTEGER NOT NULL REFERENCES shows (id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    t REAL NOT NULL,
    wall REAL NOT NULL,
    mono REAL NOT NULL,
    boot_id TEXT NOT NULL,
    args TEXT NOT NULL,                 -- JSON (a reload's in-memory agenda is left out)
    source TEXT NOT NULL DEFAULT '',    -- key, menu, http, ws, osc, app, peer; '' before v2
    term INTEGER NOT NULL DEFAULT 0     -- the term of the primary that journaled it
);
CREATE INDEX actions_by_show ON actions (show_id, id);
CREATE TABLE set_aside (                -- journaled by a primary but not part of the show after
    id INTEGER PRIMARY KEY,             -- a takeover: kept, listed in the report, never merged
    show_id INTEGER NOT NULL REFERENCES shows (id),
    seq INTEGER NOT NULL, name TEXT NOT NULL, t REAL NOT NULL, wall REAL NOT NULL,
    mono REAL NOT NULL, boot_id TEXT NOT NULL, args TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '', term INTEGER NOT NULL DEFAULT 0,
    takeover_wall REAL NOT NULL,        -- the takeover after which they do not count
    found_on TEXT NOT NULL DEFAULT ''   -- the machine that had them
);
"""


class JournalUnavailable(OSError):
    """The state folder or its database cannot be opened for writing; the message names it."""


class JournalWriteError(OSError):
    """An action could not be made durable (read-only folder, full disk); names the file."""


class JournalDamaged(JournalUnavailable):
    """The journal is damaged and was left exactly as it was (a read-only open, or a store
    that must not set files aside); the message names the file and the damage."""


class StateDirIsAFile(ValueError):
    """``--state-dir`` (or ``$RUNOFSHOW_STATE_DIR``) names a file. Not an ``OSError``: the app
    must refuse to start, not quietly time the show in memory over a mistyped path."""


class _Damaged(Exception):
    """Internal: the database file is not one this version can use."""


def refuse_a_file(folder: Path) -> None:
    """The state dir is always a folder (created if missing): a file there is refused, never
    taken for the database, renamed aside or written over (``--state-dir my-event.yaml``)."""
    if folder.exists() and not folder.is_dir():
        raise StateDirIsAFile(
            f"{folder} is a file, not a folder: --state-dir (or ${ENV_STATE_DIR}) names the"
            " folder the journal is kept in; name a folder (it is created if missing)"
        )


def state_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder the journal lives in: ``override`` (``--state-dir``), else
    ``$RUNOFSHOW_STATE_DIR``, else the platform's user data folder for runofshow."""
    if override is not None and str(override):
        return Path(override).expanduser()
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when actually needed: it is not free to import

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class ShowRecord:
    """One show (or rehearsal) as stored: which agenda, which day, and whether it ended."""

    id: int
    agenda_path: str
    agenda_sha256: str | None
    show_date: dt.date
    mode: Mode
    created_wall: float
    ended_wall: float | None
    anchor: RehearsalAnchor | None
    segment_ids: tuple[str, ...]
    # Two machines, one show (docs/two-machines.md): the show's name across machines (None
    # until it is first shared), the latest term known here and the peer that is primary in
    # it, when that term began (None for term 0), and whether this is a copy of another
    # machine's show (a follower's) rather than this machine's own.
    uid: str | None = None
    term: int = 0
    term_owner: str = ""
    term_wall: float | None = None
    replica: bool = False

    @property
    def ended(self) -> bool:
        return self.ended_wall is not None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journaled action with the term of the primary that journaled it: what a primary
    sends its followers and a follower stores as it came."""

    action: Action
    term: int = 0


@dataclass(frozen=True, slots=True)
class AsideEntry:
    """An action a primary journaled that is not part of the show after a takeover (the new
    primary never had it): kept, and listed in the report."""

    entry: JournalEntry
    takeover_wall: float  # the takeover after which it does not count
    found_on: str  # the machine that had it (its peer name)


# Arguments that live only in memory, by action name. The reload action carries the new
# ``Agenda`` object itself (and its roll-mode start times, derived from it); on disk its index
# mapping and segment ids are kept, and replay uses the agenda the show is resumed with.
# Nothing else may be left out.
IN_MEMORY_ONLY: dict[str, frozenset[str]] = {act.RELOAD: frozenset({"agenda", "roll"})}


class UnjournalableArgument(TypeError):
    """An action argument JSON cannot hold: a bug to fix, never something to drop."""


def _json_args(name: str, args: dict[str, Any]) -> str:
    """The action's arguments as JSON, less the in-memory-only ones (``IN_MEMORY_ONLY``).

    Anything else JSON cannot hold raises ``UnjournalableArgument``: dropping it would make
    the replayed show differ from the one the operator saw, with no trace of why.
    """
    skipped = IN_MEMORY_ONLY.get(name, frozenset())
    kept = {str(key): value for key, value in args.items() if key not in skipped}
    try:
        return json.dumps(kept, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise UnjournalableArgument(
            f"the {name!r} action has an argument the journal cannot store ({exc}): {sorted(kept)}"
        ) from exc


def _resolved(path: str | os.PathLike[str]) -> str:
    return str(Path(path).expanduser().resolve())


def _sha256(path: Path) -> str | None:
    """The agenda file's digest; None when it cannot be read as a regular file (it was
    swapped for a FIFO after loading: never block on it)."""
    from runofshow.core.agenda_file import read_agenda_file
    from runofshow.core.problems import AgendaError

    try:
        return sha256(read_agenda_file(path, 1 << 30)).hexdigest()
    except AgendaError:
        return None


_ACTION_COLUMNS = "seq, name, t, wall, mono, boot_id, args, source, term"


def _action_values(entry: JournalEntry) -> tuple[Any, ...]:
    action = entry.action
    return (
        action.seq,
        action.name,
        action.t,
        action.wall,
        action.mono,
        action.boot_id,
        _json_args(action.name, action.args),
        action.source,
        entry.term,
    )


MAX_TERM = 2**53  # a term past it is no count of takeovers (and SQLite ends at 2**63)


def _term(value: object) -> int:
    if not isinstance(value, int) or not 0 <= value <= MAX_TERM:
        raise ValueError(f"its term is {str(value)[:40]!r}, not a whole number from 0 to 2**53")
    return value


def _time(value: Any, what: str) -> Any:
    """A time as stored (a wall time, a monotonic reading): one a clock reads, or the report
    and the windows cannot make a date of it."""
    if not isinstance(value, float | int) or not math.isfinite(value) or abs(value) > MAX_CLOCK_S:
        raise ValueError(f"its {what} is not a time a clock can read")
    return value


def _uid(value: object) -> str | None:
    """A show's name across machines (sixteen hex digits when this version gives it)."""
    if value is not None and (not isinstance(value, str) or len(value) > 64):
        raise ValueError(f"its uid is not a show's name ({len(str(value))} characters)")
    return value


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    for value, what in zip(row[2:5], ("t", "wall", "mono"), strict=True):
        _time(value, what)
    args = json.loads(row[6])
    if not isinstance(args, dict):
        raise ValueError("its arguments are not a JSON object")
    action = Action(
        seq=row[0],
        name=row[1],
        t=row[2],
        wall=row[3],
        mono=row[4],
        boot_id=row[5],
        args=args,
        source=row[7],
    )
    return JournalEntry(action, _term(row[8]))


def _aside_entry(row: tuple[Any, ...]) -> JournalEntry:
    _time(row[9], "takeover time")
    return _entry(row[:9])


class SqliteJournal:
    """The ``Journal`` of one stored show: ``append`` commits before it returns.

    ``term`` is the term this machine journals in (``ShowRecord.term``); a takeover raises it.
    A follower stores what its primary sent with ``append_entry``, each action with its own
    term."""

    def __init__(self, store: ShowStore, show_id: int, term: int = 0) -> None:
        self.store = store
        self.show_id = show_id
        self.term = term

    def append(self, action: Action) -> None:
        """Write ``action`` in its own transaction; ``JournalWriteError`` if the disk refuses."""
        self.append_entry(JournalEntry(action, self.term))

    def append_entry(self, entry: JournalEntry) -> None:
        """Write an action with the term it was journaled in (a follower's copy)."""
        self.append_entries([entry])

    def append_entries(self, entries: list[JournalEntry]) -> None:
        """Write several actions in one transaction (a follower catching up): all, or none."""
        insert = (
            f"INSERT INTO actions (show_id, {_ACTION_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        if len(entries) == 1:
            self.store._write(insert, (self.show_id, *_action_values(entries[0])))
        elif entries:
            self.store._transaction([(insert, (self.show_id, *_action_values(e))) for e in entries])

    def actions(self) -> list[Action]:
        """Every action of this show in the order it was journaled."""
        return [entry.action for entry in self.entries()]

    def entries(self) -> list[JournalEntry]:
        """Every action with its term, in the order journaled (terms read 0 before v3)."""
        columns = _ACTION_COLUMNS
        if self.store.version < 3:
            columns = columns.replace("term", "0")
        if self.store.version < 2:
            columns = columns.replace("source", "''")
        rows = self.store._read(
            f"SELECT {columns} FROM actions WHERE show_id = ? ORDER BY id", (self.show_id,)
        )
        return [_entry(r) for r in rows]


class ShowStore:
    """The journal database: opens (or creates) it, lists shows, hands out their journals.

    ``location`` is the state folder; the database is ``DB_NAME`` inside it (created if
    missing). A folder path that names an existing file is refused (``StateDirIsAFile``),
    never written over.

    ``read_only=True`` reads the journal without changing anything in the folder
    (``journal_files.ReadOnlySnapshot``): a missing one raises ``FileNotFoundError`` (nothing
    is created), a damaged one ``JournalDamaged`` (left as it is). Such a store tries to open
    the folder for writing again at each write, and from the first that succeeds it is an
    ordinary store (a read-only folder made writable again).

    ``notice`` is set when a damaged database or write-ahead log was set aside on opening.
    """

    def __init__(
        self,
        location: str | os.PathLike[str],
        *,
        timeout: float = 5.0,
        read_only: bool = False,
    ) -> None:
        self.folder = Path(location).expanduser()
        refuse_a_file(self.folder)
        self.path = self.folder / DB_NAME
        self.notice: str | None = None
        self.read_only = read_only
        self.version = SCHEMA_VERSION  # of the file as opened (a read-only one may be older)
        self._timeout = timeout
        self._snapshot: ReadOnlySnapshot | None = None
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"no journal at {self.path}")
        self._conn = self._open_read_only() if read_only else self._open_writable(set_aside=True)

    # -- opening -------------------------------------------------------------------------
    def _open_writable(self, *, set_aside: bool) -> sqlite3.Connection:
        """The database opened for writing; damage is set aside (``set_aside``) or raised."""
        self._make_folder()
        damage = wal_damage(self._wal)
        if damage is not None:
            reason = f"its write-ahead log {self._wal.name} is damaged: {damage}"
            if not set_aside:
                raise JournalDamaged(f"the journal {self.path} is damaged ({reason})")
            self.notice = self._set_aside_and_salvage(reason)
        try:
            return self._connect()
        except _Damaged as damaged:
            if not set_aside:
                raise JournalDamaged(str(damaged)) from damaged
            self.notice = self._set_aside(str(damaged))
            return self._connect()

    @property
    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalUnavailable(
                f"cannot create the state folder {self.folder}: {exc.strerror or exc}"
            ) from exc

    def _connect(self) -> sqlite3.Connection:
        """Open the database, creating the schema on a new file; ``_Damaged`` if unusable."""
        import sqlite3

        try:
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from exc
        try:
            self._prepare(conn)
        except _Damaged:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_damage(exc):
                raise _Damaged(f"{self.path} is damaged ({exc})") from exc
            raise self._unavailable(exc) from exc
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """The journal read without writing anything to its folder; ``JournalDamaged`` (the
        files left exactly as they are) if it cannot be used."""
        import sqlite3

        damage = wal_damage(self._wal)
        if damage is not None:
            raise JournalDamaged(
                f"the journal {self.path} is damaged: its write-ahead log {self._wal.name}"
                f" is damaged ({damage})"
            )
        try:
            self._snapshot = ReadOnlySnapshot(self.path)
            conn = self._snapshot.connect(self._timeout)
        except (OSError, sqlite3.Error) as exc:
            self._close_snapshot()
            raise JournalUnavailable(f"cannot read the journal {self.path}: {exc}") from exc
        try:
            self._check(conn)
        except (_Damaged, sqlite3.DatabaseError) as exc:
            conn.close()
            self._close_snapshot()
            if isinstance(exc, _Damaged) or _is_damage(exc):
                raise JournalDamaged(f"the journal {self.path} is damaged ({exc})") from exc
            raise JournalUnavailable(f"cannot read the journal {self.path}: {exc}") from exc
        return conn

    def _unavailable(self, exc: Exception) -> JournalUnavailable:
        return JournalUnavailable(
            f"cannot open the journal {self.path} for writing ({exc}); check that the folder "
            f"{self.folder} exists and can be written"
        )

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL + full sync, an integrity check, and the schema (new file) or its version."""
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise _Damaged(f"{self.path} cannot be switched to WAL mode (it is in {mode})")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        if self._check(conn):
            conn.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION};")
            conn.execute("COMMIT")
            self.version = SCHEMA_VERSION
            return
        if self.version < SCHEMA_VERSION:
            self._migrate(conn)
        # SQLite opens a file it may not write read-only without a word, and an existing WAL
        # journal needs no write to get this far: a write that changes no row finds out now,
        # not at the first action ("attempt to write a readonly database"). Nothing is written.
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM actions WHERE 0")
        finally:
            conn.execute("ROLLBACK")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Bring an older journal up to ``SCHEMA_VERSION`` in one transaction: every step or
        none (a crash half-way leaves the old version, migrated again next time)."""
        steps = "".join(_MIGRATIONS[v] for v in range(self.version, SCHEMA_VERSION))
        conn.executescript(f"BEGIN IMMEDIATE; {steps} PRAGMA user_version={SCHEMA_VERSION};")
        conn.execute("COMMIT")
        logger.info("the journal %s was migrated from schema %s", self.path, self.version)
        self.version = SCHEMA_VERSION

    def _check(self, conn: sqlite3.Connection) -> bool:
        """SQLite's quick integrity check and the schema version; True for an empty file
        (a new journal), ``_Damaged`` for anything this version cannot read."""
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise _Damaged(f"{self.path} failed its integrity check ({check})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and not tables:
            return True
        if version not in READABLE_VERSIONS or not {"shows", "actions"} <= tables:
            raise _Damaged(
                f"{self.path} has journal schema version {version}, "
                f"but this version of runofshow reads versions 1 to {SCHEMA_VERSION}"
            )
        self.version = version
        self._check_rows(conn)
        return False

    def _check_rows(self, conn: sqlite3.Connection) -> None:
        """Every row read as the show will be (``_record``, ``_entry``): a value no version of
        runofshow writes (arguments that are not JSON, or nested thousands deep, a term that is
        text or past 2**53) is damage found now, named by its table and row, not a traceback
        when the show is resumed, reported, followed or taken over."""
        actions = _ACTION_COLUMNS
        if self.version < 3:
            actions = actions.replace("term", "0")
        if self.version < 2:
            actions = actions.replace("source", "''")
        reads: list[tuple[str, str, Callable[[tuple[Any, ...]], object]]] = [
            ("shows", self._columns, _record),
            ("actions", actions, _entry),
        ]
        if self.version >= 3:
            reads.append(("set_aside", f"{_ACTION_COLUMNS}, takeover_wall", _aside_entry))
        for table, columns, read in reads:
            for row in conn.execute(f"SELECT id, {columns} FROM {table} ORDER BY id"):
                try:
                    read(row[1:])
                except (ValueError, TypeError, KeyError, RecursionError) as exc:
                    what = (
                        "nested past what can be read" if isinstance(exc, RecursionError) else exc
                    )
                    raise _Damaged(
                        f"{self.path} has a row no runofshow writes ({table} row {row[0]}:"
                        f" {str(what)[:200]})"
                    ) from None

    def _set_aside(self, reason: str) -> str:
        """Rename the damaged database (and its WAL files) aside; never delete anything."""
        target = self._renamed_aside(reason)
        return f"{reason}. It was renamed to {target} and a new journal was started."

    def _set_aside_and_salvage(self, reason: str) -> str:
        """A damaged log: the files go aside as they are, and what SQLite can still read of
        them becomes the new journal, so the show resumes from there and not from nothing."""
        target = self._renamed_aside(reason)
        kept = f"The journal and its log were renamed, unchanged, to {target} (and -wal, -shm)"
        if salvage(target, self.path):
            return (
                f"{self.path.name}: {reason}. {kept}; the part that can still be read was copied"
                " into a new journal and the show resumes from it: check the segment and the"
                " time, the latest actions may be missing"
            )
        return (
            f"{self.path.name}: {reason}. {kept}; nothing could be read from them and a new"
            " journal was started"
        )

    def _renamed_aside(self, reason: str) -> Path:
        try:
            return set_aside(self.path)
        except OSError as exc:
            raise JournalUnavailable(
                f"{reason}; it could not be set aside ({exc.strerror or exc})"
            ) from exc

    def _upgrade(self) -> None:
        """A read-only store tries to become writable (the folder may be writable again);
        ``JournalWriteError`` if it still cannot be written."""
        if not (os.access(self.folder, os.W_OK) and os.access(self.path, os.W_OK)):
            raise JournalWriteError(f"the journal {self.path} still cannot be written")
        try:
            conn = self._open_writable(set_aside=False)
        except JournalUnavailable as exc:
            raise JournalWriteError(
                f"the journal {self.path} still cannot be written: {exc}"
            ) from exc
        self._conn.close()
        self._close_snapshot()
        self._conn, self.read_only = conn, False
        logger.info("the journal %s can be written again", self.path)

    def _close_snapshot(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None

    # -- low-level access ----------------------------------------------------------------
    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        """One statement in its own durable transaction; returns the new row id."""
        import sqlite3

        if self.read_only:
            self._upgrade()
        try:
            cursor = self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise JournalWriteError(f"could not write to the journal {self.path}: {exc}") from exc
        return int(cursor.lastrowid or 0)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self._conn.close()
        self._close_snapshot()

    def __enter__(self) -> ShowStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Several statements in one durable transaction: all of them, or none."""
        import sqlite3

        if self.read_only:
            self._upgrade()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._conn.execute(sql, params)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise JournalWriteError(f"could not write to the journal {self.path}: {exc}") from exc

    # -- shows ---------------------------------------------------------------------------
    _COLUMNS = (
        "id, agenda_path, agenda_sha256, show_date, mode, created_wall, ended_wall, anchor,"
        " segment_ids, uid, term, term_owner, term_wall, replica"
    )

    @property
    def _columns(self) -> str:
        """The shows' columns as this file has them (an older one read-only: defaults)."""
        if self.version >= 3:
            return self._COLUMNS
        return self._COLUMNS.replace(
            "uid, term, term_owner, term_wall, replica", "NULL, 0, '', NULL, 0"
        )

    def new_show(
        self,
        agenda: Agenda,
        show_date: dt.date,
        mode: Mode = "live",
        anchor: RehearsalAnchor | None = None,
        *,
        created_wall: float | None = None,
    ) -> ShowRecord:
        """Record a new show of ``agenda`` on ``show_date``; ``anchor`` for rehearsals."""
        if mode == "rehearsal" and anchor is None:
            raise ValueError("a rehearsal needs the RehearsalAnchor of its clock")
        created = dt.datetime.now().timestamp() if created_wall is None else created_wall
        show_id = self._write(
            "INSERT INTO shows (agenda_path, agenda_sha256, show_date, mode, created_wall,"
            " anchor, segment_ids) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _resolved(agenda.path),
                _sha256(agenda.path),
                show_date.isoformat(),
                mode,
                created,
                None if anchor is None else json.dumps(asdict(anchor)),
                json.dumps([seg.id for seg in agenda.segments], ensure_ascii=False),
            ),
        )
        record = self.show(show_id)
        assert record is not None
        return record

    def show(self, show_id: int) -> ShowRecord | None:
        rows = self._read(f"SELECT {self._columns} FROM shows WHERE id = ?", (show_id,))
        return _record(rows[0]) if rows else None

    def shows(
        self, agenda_path: str | os.PathLike[str] | None = None, mode: Mode | None = None
    ) -> list[ShowRecord]:
        """Stored shows, oldest first, optionally of one agenda file and/or one mode."""
        where, params = _filters(agenda_path, mode)
        rows = self._read(f"SELECT {self._columns} FROM shows {where} ORDER BY id", params)
        return [_record(r) for r in rows]

    def latest_show(
        self, agenda_path: str | os.PathLike[str], mode: Mode = "live"
    ) -> ShowRecord | None:
        """The most recently created show of this agenda in this mode, ended or not."""
        found = self.shows(agenda_path, mode)
        return found[-1] if found else None

    def journal(self, show_id: int) -> SqliteJournal:
        """The journal of show ``show_id``, journaling in the show's term."""
        record = self.show(show_id)
        return SqliteJournal(self, show_id, record.term if record is not None else 0)

    def mark_ended(self, show_id: int, wall: float | None) -> None:
        """Mark a show ended at ``wall`` (the show clock's wall time: simulated in a
        rehearsal); ``None`` re-opens it (the operator undid the end)."""
        self._write("UPDATE shows SET ended_wall = ? WHERE id = ?", (wall, show_id))

    # -- two machines, one show (runofshow.core.replica) ---------------------------------
    def identify(self, show_id: int, owner: str) -> ShowRecord:
        """Show ``show_id`` with a uid and a term owner, given now (``owner``: this machine's
        peer id) if it had none: a show gets its name across machines when first shared."""
        import secrets

        record = self.show(show_id)
        if record is None:
            raise KeyError(f"there is no show #{show_id}")
        if record.uid is None or not record.term_owner:
            uid = record.uid or secrets.token_hex(8)
            self._write(
                "UPDATE shows SET uid = ?, term_owner = ? WHERE id = ?",
                (uid, record.term_owner or owner, show_id),
            )
            record = self.show(show_id)
            assert record is not None
        return record

    def find_uid(self, uid: str) -> ShowRecord | None:
        """The latest show recorded here under ``uid`` (a follower's copy of it, or the
        show a machine that took over now runs)."""
        rows = self._read(
            f"SELECT {self._columns} FROM shows WHERE uid = ? ORDER BY id DESC LIMIT 1", (uid,)
        )
        return _record(rows[0]) if rows else None

    def new_replica(self, like: ShowRecord) -> ShowRecord:
        """Record a follower's copy of another machine's show ``like`` (its uid, date, mode,
        anchor, agenda and term; the id is this store's own)."""
        show_id = self._write(
            "INSERT INTO shows (agenda_path, agenda_sha256, show_date, mode, created_wall,"
            " ended_wall, anchor, segment_ids, uid, term, term_owner, term_wall, replica)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (
                like.agenda_path,
                like.agenda_sha256,
                like.show_date.isoformat(),
                like.mode,
                like.created_wall,
                like.ended_wall,
                None if like.anchor is None else json.dumps(asdict(like.anchor)),
                json.dumps(list(like.segment_ids), ensure_ascii=False),
                like.uid,
                like.term,
                like.term_owner,
                like.term_wall,
            ),
        )
        record = self.show(show_id)
        assert record is not None
        return record

    def set_term(
        self, show_id: int, term: int, owner: str, wall: float | None, *, replica: bool
    ) -> None:
        """Show ``show_id`` is now in ``term``, whose primary is ``owner`` (since ``wall``);
        ``replica`` False when that primary is this machine."""
        self._write(
            "UPDATE shows SET term = ?, term_owner = ?, term_wall = ?, replica = ? WHERE id = ?",
            (term, owner, wall, int(replica), show_id),
        )

    def set_aside_tail(
        self, show_id: int, keep: int, takeover_wall: float, found_on: str
    ) -> list[JournalEntry]:
        """Move every action after the first ``keep`` of show ``show_id`` out of its journal
        into ``set_aside`` (one transaction), and return them: a primary that comes back after
        a takeover keeps what it journaled that the new primary never had, apart."""
        tail = self.journal(show_id).entries()[keep:]
        if not tail:
            return []
        rows = self._read(
            "SELECT id FROM actions WHERE show_id = ? ORDER BY id LIMIT -1 OFFSET ?",
            (show_id, keep),
        )
        statements = [
            (
                f"INSERT INTO set_aside (show_id, {_ACTION_COLUMNS}, takeover_wall, found_on)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (show_id, *_action_values(entry), takeover_wall, found_on),
            )
            for entry in tail
        ]
        statements += [("DELETE FROM actions WHERE id = ?", (row[0],)) for row in rows]
        self._transaction(statements)
        return tail

    def add_set_aside(
        self, show_id: int, entries: list[JournalEntry], takeover_wall: float, found_on: str
    ) -> int:
        """Record actions another machine set aside (so this machine's report lists them
        too); ones already recorded are skipped. How many were new."""
        known = [a.entry for a in self.set_aside_entries(show_id)]
        new = [e for e in entries if e not in known]
        self._transaction(
            [
                (
                    f"INSERT INTO set_aside (show_id, {_ACTION_COLUMNS}, takeover_wall, found_on)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (show_id, *_action_values(entry), takeover_wall, found_on),
                )
                for entry in new
            ]
        )
        return len(new)

    def set_aside_entries(self, show_id: int) -> list[AsideEntry]:
        """The actions of show ``show_id`` kept aside after takeovers, in the order kept."""
        if self.version < 3:
            return []
        rows = self._read(
            f"SELECT {_ACTION_COLUMNS}, takeover_wall, found_on FROM set_aside"
            " WHERE show_id = ? ORDER BY id",
            (show_id,),
        )
        return [AsideEntry(_entry(r[:9]), r[9], r[10]) for r in rows]


def _filters(
    agenda_path: str | os.PathLike[str] | None, mode: Mode | None
) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    params: list[Any] = []
    if agenda_path is not None:
        clauses.append("agenda_path = ?")
        params.append(_resolved(agenda_path))
    if mode is not None:
        clauses.append("mode = ?")
        params.append(mode)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _record(row: tuple[Any, ...]) -> ShowRecord:
    anchor = None if row[7] is None else RehearsalAnchor(**json.loads(row[7]))
    return ShowRecord(
        id=row[0],
        agenda_path=row[1],
        agenda_sha256=row[2],
        show_date=dt.date.fromisoformat(row[3]),
        mode=row[4],
        created_wall=_time(row[5], "created_wall"),
        ended_wall=None if row[6] is None else _time(row[6], "ended_wall"),
        anchor=anchor,
        segment_ids=tuple(json.loads(row[8])),
        uid=_uid(row[9]),
        term=_term(row[10]),
        term_owner=row[11],
        term_wall=None if row[12] is None else _time(row[12], "term_wall"),
        replica=bool(row[13]),
    )


def _is_damage(exc: Exception) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
