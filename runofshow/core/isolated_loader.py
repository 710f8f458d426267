"""Validate an agenda in a child process, so PyYAML and pydantic never enter the app's memory.

The app keeps running for hours beside a show, and what it imports it keeps: PyYAML, pydantic
and our schema take ~20 MB of resident memory (measured: +3 MB PyYAML, +9 MB pydantic's
models, +4 MB the schema's validators), for a few milliseconds of work per agenda. The MC's
window therefore asks a short-lived ``python -m runofshow.core.isolated_loader PATH`` to
validate the exact bytes it read (sent on stdin) and gets back the ``Agenda`` or the agenda's
problems as JSON (``agenda_codec``, the cache's format: plain data both ways, no pickle). A
hostile file's cost (a huge document, a deep nesting) stays in that child as well.

If the child cannot give an answer (no interpreter to start in a frozen build, a crash, a
timeout, an answer that does not decode) the agenda is validated in this process instead,
and the reason is logged: isolation saves memory, it is never a reason not to open a show.
``runofshow check`` and the tests use the loader directly.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from runofshow.core.agenda import Agenda
from runofshow.core.agenda_codec import CodecError, decode_answer, encode_answer
from runofshow.core.problems import AgendaError

logger = logging.getLogger(__name__)

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding ``runofshow/``
CHILD_TIMEOUT_S = 60.0  # a 1 MiB agenda validates in well under a second
READ_FILE = "--read-file"  # the child reads the file itself (and words why it cannot)


def load_bytes_isolated(data: bytes, path: Path) -> Agenda:
    """``loader.load_agenda_bytes(data, path)`` run in a child process; raises
    ``AgendaError`` with the child's problems, exactly as the loader would."""
    answer = _ask_child([os.fspath(path)], data)
    if answer is None:
        from runofshow.core import loader  # the child could not answer: do it here

        return loader.load_agenda_bytes(data, path)
    return _unpack(answer)


def load_file_isolated(path: Path) -> Agenda:
    """``loader.load_agenda(path)`` in a child process: for a file this process could not
    read or found too large, whose problem the loader puts in words."""
    answer = _ask_child([READ_FILE, os.fspath(path)], b"")
    if answer is None:
        from runofshow.core import loader

        return loader.load_agenda(path)
    return _unpack(answer)


def _unpack(answer: Agenda | AgendaError) -> Agenda:
    if isinstance(answer, AgendaError):
        raise answer
    return answer


def _ask_child(args: list[str], data: bytes) -> Agenda | AgendaError | None:
    """The child's agenda or its ``AgendaError``; None (logged) if it gave no answer."""
    if getattr(sys, "frozen", False):  # a bundled app: sys.executable is the app itself
        logger.info("a frozen build validates agendas in-process")
        return None
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            # -P: not the working folder first on sys.path (a stray "runofshow" folder
            # there must not stand in for this package); PYTHONPATH names ours.
            [sys.executable, "-P", "-m", __name__, *args],
            input=data,
            capture_output=True,
            timeout=CHILD_TIMEOUT_S,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        logger.warning("the agenda validator did not run (%s); validating in-process", exc)
        return None
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")[-2000:]
        logger.warning(
            "the agenda validator exited with %s; validating in-process\n%s",
            done.returncode,
            stderr,
        )
        return None
    try:
        return decode_answer(done.stdout)
    except CodecError as exc:
        logger.warning("the agenda validator's answer did not decode (%s)", exc)
    except Exception:
        logger.exception("the agenda validator's answer did not decode")
    return None


def child_main(argv: list[str]) -> int:
    """Validate the bytes on stdin as the file ``argv[0]`` (or, after ``--read-file``, the
    file itself), and write the answer as JSON on stdout."""
    from runofshow.core import loader

    answer: Agenda | AgendaError
    try:
        if argv[0] == READ_FILE:
            answer = loader.load_agenda(Path(argv[1]))
        else:
            answer = loader.load_agenda_bytes(sys.stdin.buffer.read(), Path(argv[0]))
    except AgendaError as error:
        answer = error
    sys.stdout.buffer.write(encode_answer(answer))
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
