"""Reading an agenda file's bytes: only a regular file, never more than the size cap.

A path named on the command line or in the Open dialog can be anything: a folder, a FIFO
(opening one for reading waits for a writer, so `check` hung for ever), a device (``/dev/zero``
never ends; ``/dev/null`` is empty) or a socket. So the path is looked at before it is opened,
and only a regular file is read. The path could change between that look and the open (a
file swapped for a FIFO): it is opened without blocking and looked at again through the open
descriptor, which is what is read. Light on purpose: the agenda cache reads files here at
start-up, before PyYAML and pydantic may be imported.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from runofshow.core.problems import AgendaError, Problem, Severity

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_READ_HINT = "check the path; `runofshow check` takes an agenda .yaml file"


def not_a_file(mode: int) -> tuple[str, str] | None:
    """What a path is when it is not a regular file ("a folder"), and what to name instead;
    None when it is a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder", "name a file inside it"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)", "save the agenda as a regular file and name that"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device", "name a .yaml file; a device is not a file to read an agenda from"
    if stat.S_ISSOCK(mode):
        return "a socket", "name a .yaml file"
    return "a special file", "name a .yaml file"


def read_agenda_file(file: Path, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of the regular file at ``file`` (one more than the cap, so
    the caller can tell a file over it); ``AgendaError`` naming what is wrong otherwise."""
    try:
        kind = not_a_file(os.stat(file).st_mode)
        if kind is not None:
            raise _not_an_agenda(file, *kind)
        descriptor = os.open(file, _OPEN_FLAGS)
        with os.fdopen(descriptor, "rb") as stream:
            kind = not_a_file(os.fstat(stream.fileno()).st_mode)  # swapped since we looked?
            if kind is not None:
                raise _not_an_agenda(file, *kind)
            return stream.read(limit + 1)
    except FileNotFoundError:
        problem, hint = "no such file", _READ_HINT
    except IsADirectoryError:
        problem, hint = "is a folder, not an agenda file", "name a .yaml file inside it"
    except PermissionError:
        problem, hint = "cannot be read: permission denied", "check the file's permissions"
    except BlockingIOError:  # a FIFO after all (O_NONBLOCK): there is nothing to read
        problem, hint = "is a FIFO (named pipe), not an agenda file", _READ_HINT
    except OSError as exc:
        problem, hint = f"cannot be read: {exc.strerror or exc}", _READ_HINT
    raise AgendaError([Problem(file, 0, 0, Severity.ERROR, problem, hint)])


def _not_an_agenda(file: Path, kind: str, hint: str) -> AgendaError:
    message = f"is {kind}, not an agenda file"
    return AgendaError([Problem(file, 0, 0, Severity.ERROR, message, hint)])
