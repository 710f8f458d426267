"""Cue commands run only with the operator's consent.

An agenda's cue may name a program to run when its segment starts (``cue.command``): a video
player, a lighting script. An agenda is a file that arrives by e-mail the night before, so what
it would run is shown to the operator first (``agenda_commands``; the window's consent dialog,
``runofshow check``) and nothing runs until they have allowed it.

Consent is remembered per *content* of the commands: the digest of every command the agenda
would run (program, arguments, timeout, detach), in order. Allowing an agenda allows exactly
those commands; an edited command, an added one, a changed timeout or ``detach`` is a different
digest and is asked about again. Titles, times and everything else in the file may change
freely.

The approvals live in the state folder, ``approved-commands.json``: plain JSON, written
atomically (a temporary file renamed over the old one). A damaged or foreign file is read as
"nothing approved" and logged; it is never executed and never trusted in part.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runofshow.core.agenda import Agenda
from runofshow.core.digest import sha256

__all__ = [
    "APPROVALS_NAME",
    "AgendaCommand",
    "CommandConsent",
    "ConsentPredicate",
    "agenda_commands",
    "allow_nothing",
    "commands_digest",
]

APPROVALS_NAME = "approved-commands.json"
_FORMAT = "runofshow-approved-commands"
_VERSION = 1

# What a CueRunner asks before running a command: has this agenda's set been allowed?
ConsentPredicate = Callable[[Agenda], bool]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AgendaCommand:
    """One command an agenda would run: which segment fires it, and how."""

    index: int  # the segment's position (0-based)
    title: str  # the segment's title
    argv: tuple[str, ...]
    timeout_s: int
    detach: bool

    @property
    def number(self) -> int:
        """The segment's number as the operator counts (1-based)."""
        return self.index + 1


def agenda_commands(agenda: Agenda) -> list[AgendaCommand]:
    """Every command ``agenda`` would run, in running order."""
    found: list[AgendaCommand] = []
    for segment in agenda.segments:
        cue = segment.cue
        if cue is None or not cue.command:
            continue
        found.append(
            AgendaCommand(segment.index, segment.title, cue.command, cue.timeout_s, cue.detach)
        )
    return found


def commands_digest(agenda: Agenda) -> str | None:
    """The digest consent is remembered by: every command as it would run, in order (None when
    the agenda runs nothing)."""
    commands = agenda_commands(agenda)
    if not commands:
        return None
    canonical = [[list(c.argv), c.timeout_s, c.detach] for c in commands]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return sha256(text.encode("utf-8")).hexdigest()


def allow_nothing(_agenda: Agenda) -> bool:
    """The consent predicate of a runner nobody gave one: no command runs."""
    return False


class CommandConsent:
    """The operator's approvals, kept in ``folder`` (the state folder).

    ``approved(agenda)`` is the predicate a ``CueRunner`` is given; ``approve(agenda)`` is
    what the consent dialog's "Allow these commands" calls. An approval that cannot be saved
    (a read-only folder) still holds for this process, and ``approve`` says it was not kept.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / APPROVALS_NAME
        self._this_run: set[str] = set()

    def approved(self, agenda: Agenda) -> bool:
        """Whether every command ``agenda`` would run has been allowed (True if it runs none)."""
        digest = commands_digest(agenda)
        return digest is None or digest in self._this_run or digest in self._stored()

    def approve(self, agenda: Agenda) -> bool:
        """Allow the commands ``agenda`` would run now; False if the approval could be kept
        for this run only (the file could not be written: logged). A damaged or foreign file
        in the way is renamed aside first, never written over."""
        digest = commands_digest(agenda)
        if digest is None:
            return True
        self._this_run.add(digest)
        stored = self._stored()
        stored[digest] = {
            "agenda": str(agenda.path),
            "approved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commands": [list(c.argv) for c in agenda_commands(agenda)],
        }
        try:
            self._set_aside_if_foreign()
            self._write(stored)
        except OSError as exc:
            logger.warning("could not save the approval of cue commands to %s: %s", self.path, exc)
            return False
        return True

    def _stored(self) -> dict[str, Any]:
        """The saved approvals by digest; a missing file is none, a damaged or foreign one is
        none too, and said in the log."""
        text = self._text()
        if text is None:
            return {}
        approved = _approvals(text)
        if approved is None:
            logger.warning(
                "ignoring %s: not a runofshow approvals file (nothing approved)", self.path
            )
            return {}
        return approved

    def _text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            logger.warning("ignoring the approvals in %s (unreadable: %s)", self.path, exc)
            return ""

    def _set_aside_if_foreign(self) -> None:
        """A file of that name that is not ours is kept (renamed), not overwritten."""
        text = self._text()
        if text is None or _approvals(text) is not None:
            return
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
        self.path.rename(aside)
        logger.warning("%s was not a runofshow approvals file: renamed to %s", self.path, aside)

    def _write(self, approved: dict[str, Any]) -> None:
        """Write the file whole, then rename it over the old one: a crash leaves the old file
        or the new one, never half of either."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": _FORMAT, "version": _VERSION, "approved": approved}
        data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
        handle, temporary = tempfile.mkstemp(prefix=".approved-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _approvals(text: str) -> dict[str, Any] | None:
    """The ``approved`` mapping of an approvals file, or None if the text is not one."""
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past the recursion limit
        return None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        return None
    approved = payload.get("approved")
    if payload.get("version") != _VERSION or not isinstance(approved, dict):
        return None
    if not all(isinstance(key, str) and len(key) == 64 for key in approved):
        return None
    return approved
