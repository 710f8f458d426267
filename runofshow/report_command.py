"""``runofshow report``: the post-show report of planned against actual, from the journal.

It never changes the state folder: the journal is read through a read-only snapshot
(``ShowStore(read_only=True)``: SQLite's ``immutable`` open, or a private copy when a ``-wal``
holds committed actions), so a read-only stick, a show still running, a crashed show's log and
a damaged journal are all left byte for byte. A damaged journal is reported, not repaired: the
app sets it aside the next time it opens the folder. The show is rebuilt in memory
(``runofshow.core.report``). Qt is imported only for ``--chart`` and ``--pdf``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from runofshow.core.agenda import Agenda
from runofshow.core.engine import Mode
from runofshow.core.journal import (
    JournalDamaged,
    JournalUnavailable,
    ShowRecord,
    ShowStore,
    StateDirIsAFile,
    state_dir,
)
from runofshow.core.report import (
    ShowReport,
    build_report,
    pad,
    render_csv,
    render_json,
    render_table,
)
from runofshow.core.resume import replayable
from runofshow.core.show_log import LOG_NAME, errors_between, log_folder
from runofshow.exit_codes import (
    EXIT_BAD_AGENDA,
    EXIT_DAMAGED_JOURNAL,
    EXIT_IO,
    EXIT_NO_SHOW,
    EXIT_OK,
    EXIT_STATE_DIR,
    EXIT_USAGE,
)

EPILOG = f"""\
The show is read from the journal in the state folder (--state-dir, else $RUNOFSHOW_STATE_DIR,
else the platform's user data folder). By default: the latest live show of AGENDA; rehearsals
are kept apart and reported only with --rehearsal (or --show ID).

The state folder is only read, never changed (a read-only folder is fine).

exit status:
  {EXIT_OK}   the report was written
  {EXIT_NO_SHOW}   no such show is recorded (nothing journaled yet, wrong agenda, or wrong --show)
  {EXIT_BAD_AGENDA}   the agenda could not be loaded (its problems are printed), or the show was
      recorded against a version of it with segments it no longer has
  {EXIT_IO}   the journal could not be read, or the chart could not be written
  {EXIT_DAMAGED_JOURNAL}   the journal is damaged; it was left exactly as it is (the app sets it
      aside, keeping it, and starts from what can still be read when it next opens the folder)
  {EXIT_USAGE}  the command line was wrong
  {EXIT_STATE_DIR}  --state-dir (or $RUNOFSHOW_STATE_DIR) names a file, not a folder
"""


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, which here means "bad agenda": use 64 instead."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="runofshow report",
        description="The post-show report: each segment's planned against actual times.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "agenda", nargs="?", metavar="AGENDA",
        help="the agenda file (default: the show's own with --show, else the bundled agenda)",
    )  # fmt: skip
    parser.add_argument("--show", type=int, metavar="ID", help="report this show (see --list)")
    parser.add_argument("--rehearsal", action="store_true", help="the latest rehearsal instead")
    parser.add_argument("--list", action="store_true", help="list the recorded shows and exit")
    parser.add_argument(
        "--format", choices=("table", "csv", "json"), default="table",
        help="output format (default: an aligned table)",
    )  # fmt: skip
    parser.add_argument("--state-dir", metavar="DIR", help="the folder the journal is in")
    parser.add_argument("--chart", metavar="PNG", type=Path, help="also draw a Gantt chart")
    parser.add_argument("--pdf", metavar="PDF", type=Path, help="also write it as a PDF")
    return parser


def main(argv: Sequence[str]) -> int:
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as stop:  # --help (0) or a usage error (64)
        return int(stop.code or 0)
    folder = state_dir(args.state_dir)
    try:
        store = ShowStore(folder, read_only=True)
    except StateDirIsAFile as exc:
        return _fail(str(exc), EXIT_STATE_DIR)
    except FileNotFoundError:
        return _fail(f"no shows are recorded in {folder}", EXIT_NO_SHOW)
    except JournalDamaged as exc:
        return _fail(f"{exc}. It was left as it is", EXIT_DAMAGED_JOURNAL)
    except JournalUnavailable as exc:
        return _fail(str(exc), EXIT_IO)
    with store:
        if args.list:
            return _list(store, args.agenda)
        return _report(store, args)


def _fail(message: str, code: int) -> int:
    print(f"runofshow report: {message}", file=sys.stderr)
    return code


def _list(store: ShowStore, agenda: str | None) -> int:
    """Print the recorded shows (of AGENDA if given), oldest first."""
    records = store.shows(agenda)
    if not records:
        return _fail("no shows are recorded" + (f" for {agenda}" if agenda else ""), EXIT_NO_SHOW)
    for r in records:
        state = "ended" if r.ended else "not ended"
        print(f"{r.id:>5}  {pad(r.mode, 9)}  {r.show_date}  {pad(state, 9)}  {r.agenda_path}")
    return EXIT_OK


def _report(store: ShowStore, args: argparse.Namespace) -> int:
    # A named agenda is loaded first: a typo or a broken file says so, not "no show found".
    agenda = _load(args.agenda) if args.agenda else None
    if isinstance(agenda, int):
        return agenda
    record = _find_show(store, args)
    if isinstance(record, int):
        return record
    if agenda is None:
        agenda = _copied_agenda(store, record) or _load(record.agenda_path)
        if isinstance(agenda, int):
            return agenda
    if record.segment_ids != tuple(s.id for s in agenda.segments):
        print(
            "runofshow report: warning: the agenda's segments changed since this show was "
            "recorded; actions are matched to segments by position",
            file=sys.stderr,
        )
    actions = store.journal(record.id).actions()
    if not replayable(agenda, actions):
        message = (
            f"show #{record.id} was recorded against a version of {record.agenda_path} with"
            " more segments than it has now (a reload moved records to segment positions the"
            " file no longer has); report it with the agenda file the show ran with"
        )
        return _fail(message, EXIT_BAD_AGENDA)
    report = build_report(agenda, record, actions, set_aside=store.set_aside_entries(record.id))
    sys.stdout.write(_render(report, args.format))
    _mention_logged_errors(store, record, sys.stdout if args.format == "table" else sys.stderr)
    code = _chart(report, args.chart) if args.chart else EXIT_OK
    return _pdf(report, args.pdf) if args.pdf and code == EXIT_OK else code


LOGGED_ERRORS_SHOWN = 5


def _mention_logged_errors(store: ShowStore, record: ShowRecord, out) -> None:
    """Errors the app logged while this show was the one it ran (from the show's creation to
    the next show's), so a post-show review sees what went wrong, not only what happened."""
    later = [r.created_wall for r in store.shows() if r.created_wall > record.created_wall]
    errors = errors_between(store.folder, record.created_wall, min(later, default=math.inf))
    if not errors:
        return
    print(f"\n{len(errors)} error(s) were logged during this show ("
          f"{log_folder(store.folder) / LOG_NAME}):", file=out)  # fmt: skip
    for error in errors[:LOGGED_ERRORS_SHOWN]:
        moment = dt.datetime.fromtimestamp(error.wall).astimezone()
        print(f"  {moment:%H:%M:%S}  {error.text}", file=out)
    if len(errors) > LOGGED_ERRORS_SHOWN:
        print(f"  … and {len(errors) - LOGGED_ERRORS_SHOWN} more in the log", file=out)


def _find_show(store: ShowStore, args: argparse.Namespace) -> ShowRecord | int:
    """The show asked for, or the exit code after saying why there is none."""
    if args.show is not None:
        record = store.show(args.show)
        if record is None:
            return _fail(f"there is no show #{args.show} in {store.path}", EXIT_NO_SHOW)
        return record
    mode: Mode = "rehearsal" if args.rehearsal else "live"
    agenda_path = args.agenda or str(_default_agenda())
    record = store.latest_show(agenda_path, mode)
    if record is None:
        what = "rehearsal" if args.rehearsal else "live show"
        hint = "" if args.rehearsal else " (rehearsals are reported with --rehearsal)"
        message = f"no {what} of {agenda_path} is recorded in {store.path}{hint}"
        return _fail(message, EXIT_NO_SHOW)
    return record


def _copied_agenda(store: ShowStore, record: ShowRecord) -> Agenda | None:
    """The agenda a follower was sent for this show (its file is on the primary's disk):
    ``peer-agendas`` in the state folder (docs/two-machines.md)."""
    if record.uid is None or Path(record.agenda_path).is_file():
        return None
    from runofshow.core.agenda_codec import CodecError, decode_agenda
    from runofshow.core.peer_files import agenda_copy

    data = agenda_copy(store.folder, record.uid)
    if data is None:
        return None
    try:
        return decode_agenda(data)
    except CodecError as error:
        print(f"runofshow report: the agenda kept for show #{record.id} cannot be read"
              f" ({error}); trying {record.agenda_path}", file=sys.stderr)  # fmt: skip
        return None


def _default_agenda() -> Path:
    from runofshow.resources import default_agenda

    return default_agenda()


def _load(path: str) -> Agenda | int:
    """The agenda, or EXIT_BAD_AGENDA after printing its problems."""
    from runofshow.core.loader import load_agenda
    from runofshow.core.problems import AgendaError

    try:
        return load_agenda(path)
    except AgendaError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_BAD_AGENDA


def _render(report: ShowReport, fmt: str) -> str:
    if fmt == "csv":
        return render_csv(report)
    if fmt == "json":
        return render_json(report)
    return render_table(report)


def _chart(report: ShowReport, path: Path) -> int:
    from runofshow._qt.printing.report_chart import render_chart

    try:
        render_chart(report, path)
    except OSError as exc:
        return _fail(f"could not write the chart {path}: {exc}", EXIT_IO)
    print(f"chart written to {path}", file=sys.stderr)
    return EXIT_OK


def _pdf(report: ShowReport, path: Path) -> int:
    """The report's table and chart as a PDF (runofshow._qt.printing.report_pdf)."""
    from runofshow._qt.printing.report_pdf import write_report_pdf

    try:
        pages = write_report_pdf(report, path)
    except OSError as exc:
        return _fail(f"could not write the PDF {path}: {exc}", EXIT_IO)
    print(f"PDF written to {path} ({pages} pages)", file=sys.stderr)
    return EXIT_OK
