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
from runofshow.core.walcheck import wal_damage

if TYPE_CHECKING:  # sqlite3 is imported lazily, when a store is opened
    import sqlite3

logger = logging.getLogger(__name__)

__all__ = [
    "DB_NAME",
    "ENV_STATE_DIR",
    "SCHEMA_VERSION",
    "JournalDamaged",
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
SCHEMA_VERSION = 2
# Version 1 had no ``actions.source``; a version-1 file is migrated when it is opened for
# writing (``_MIGRATIONS``) and read as it is (source "") when it may only be read.
READABLE_VERSIONS = frozenset({1, SCHEMA_VERSION})
_MIGRATIONS = {
    1: "ALTER TABLE actions ADD COLUMN source TEXT NOT NULL DEFAULT '';",
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
    segment_ids TEXT NOT NULL           -- JSON list of the agenda's segment ids at creation
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
    source TEXT NOT NULL DEFAULT ''     -- key, menu, http, ws, osc, app; '' before version 2
);
CREATE INDEX actions_by_show ON actions (show_id, id);
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

    @property
    def ended(self) -> bool:
        return self.ended_wall is not None


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


class SqliteJournal:
    """The ``Journal`` of one stored show: ``append`` commits before it returns."""

    def __init__(self, store: ShowStore, show_id: int) -> None:
        self.store = store
        self.show_id = show_id

    def append(self, action: Action) -> None:
        """Write ``action`` in its own transaction; ``JournalWriteError`` if the disk refuses."""
        self.store._write(
            "INSERT INTO actions (show_id, seq, name, t, wall, mono, boot_id, args, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.show_id,
                action.seq,
                action.name,
                action.t,
                action.wall,
                action.mono,
                action.boot_id,
                _json_args(action.name, action.args),
                action.source,
            ),
        )

    def actions(self) -> list[Action]:
        """Every action of this show in the order it was journaled."""
        source = "source" if self.store.version >= 2 else "''"
        rows = self.store._read(
            f"SELECT seq, name, t, wall, mono, boot_id, args, {source} FROM actions"
            " WHERE show_id = ? ORDER BY id",
            (self.show_id,),
        )
        return [
            Action(
                seq=r[0],
                name=r[1],
                t=r[2],
                wall=r[3],
                mono=r[4],
                boot_id=r[5],
                args=json.loads(r[6]),
                source=r[7],
            )
            for r in rows
        ]


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
        return False

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

    # -- shows ---------------------------------------------------------------------------
    _COLUMNS = (
        "id, agenda_path, agenda_sha256, show_date, mode, created_wall, ended_wall, anchor,"
        " segment_ids"
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
        rows = self._read(f"SELECT {self._COLUMNS} FROM shows WHERE id = ?", (show_id,))
        return _record(rows[0]) if rows else None

    def shows(
        self, agenda_path: str | os.PathLike[str] | None = None, mode: Mode | None = None
    ) -> list[ShowRecord]:
        """Stored shows, oldest first, optionally of one agenda file and/or one mode."""
        where, params = _filters(agenda_path, mode)
        rows = self._read(f"SELECT {self._COLUMNS} FROM shows {where} ORDER BY id", params)
        return [_record(r) for r in rows]

    def latest_show(
        self, agenda_path: str | os.PathLike[str], mode: Mode = "live"
    ) -> ShowRecord | None:
        """The most recently created show of this agenda in this mode, ended or not."""
        found = self.shows(agenda_path, mode)
        return found[-1] if found else None

    def journal(self, show_id: int) -> SqliteJournal:
        return SqliteJournal(self, show_id)

    def mark_ended(self, show_id: int, wall: float | None) -> None:
        """Mark a show ended at ``wall`` (the show clock's wall time: simulated in a
        rehearsal); ``None`` re-opens it (the operator undid the end)."""
        self._write("UPDATE shows SET ended_wall = ? WHERE id = ?", (wall, show_id))


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
        created_wall=row[5],
        ended_wall=row[6],
        anchor=anchor,
        segment_ids=tuple(json.loads(row[8])),
    )


def _is_damage(exc: Exception) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
