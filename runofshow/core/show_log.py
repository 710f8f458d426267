"""The app's log: a rotating file in the state folder, read back by the post-show report.

After a show nobody can tell what went wrong unless it was written down: every exception the
app catches and survives is logged with its traceback (``logging.getLogger(__name__)`` in each
module), and so is anything that escapes (``sys.excepthook``, ``threading.excepthook``). The
file rotates (1 MB, five old files kept), so a show that runs all day cannot fill the disk.
Each line starts with the epoch time it was written, so ``runofshow report`` can list the
errors logged during a show's own time span without guessing at time zones.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

LOG_FOLDER = "logs"
LOG_NAME = "runofshow.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
FORMAT = "%(created).3f %(asctime)s %(levelname)s %(name)s: %(message)s"
ERROR_LEVELS = ("ERROR", "CRITICAL")


def log_folder(state_dir: Path) -> Path:
    return state_dir / LOG_FOLDER


def start_logging(state_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to the state folder's rotating file from now on (and warnings to stderr); the
    file's path, or None when the folder cannot be written (the log then goes to stderr)."""
    root = logging.getLogger()
    root.setLevel(level)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("runofshow: %(levelname)s %(name)s: %(message)s"))
    root.addHandler(console)
    logging.captureWarnings(True)
    _log_what_escapes()
    path = log_folder(state_dir) / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("no log file in %s: %s", path.parent, error)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path


def _log_what_escapes() -> None:
    """Exceptions nobody caught go to the log too (then on to Python's usual report)."""
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook
    escaped = logging.getLogger("runofshow.escaped")

    def hook(
        kind: type[BaseException], value: BaseException, traceback: TracebackType | None
    ) -> None:
        escaped.critical("uncaught %s", kind.__name__, exc_info=(kind, value, traceback))
        previous_hook(kind, value, traceback)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not None and args.exc_value is not None:
            name = args.thread.name if args.thread else "?"
            info = (args.exc_type, args.exc_value, args.exc_traceback)
            escaped.critical("uncaught %s in thread %s", args.exc_type.__name__, name,
                             exc_info=info)  # fmt: skip
        previous_thread_hook(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook


@dataclass(frozen=True, slots=True)
class LoggedError:
    """One error line of the log (its traceback, if any, is in the file after it)."""

    wall: float
    text: str


def errors_between(state_dir: Path, start: float, end: float) -> list[LoggedError]:
    """Errors logged from ``start`` to ``end`` (epoch seconds), oldest first, from the log
    and its rotated files; read only (the report never changes the state folder)."""
    folder = log_folder(state_dir)
    files = sorted(folder.glob(f"{LOG_NAME}*"), key=_age, reverse=True)
    found: list[LoggedError] = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        found.extend(_errors(lines, start, end))
    return sorted(found, key=lambda e: e.wall)


def _age(file: Path) -> int:
    """runofshow.log is the newest; runofshow.log.5 the oldest."""
    suffix = file.name.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def _errors(lines: list[str], start: float, end: float) -> list[LoggedError]:
    found = []
    for line in lines:
        head, _, rest = line.partition(" ")
        try:
            wall = float(head)
        except ValueError:
            continue  # a traceback line
        parts = rest.split(" ", 3)
        if len(parts) == 4 and parts[2] in ERROR_LEVELS and start <= wall <= end:
            found.append(LoggedError(wall, parts[3]))
    return found
