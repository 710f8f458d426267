"""Exit statuses of every ``runofshow`` command, in one table.

The window (``runofshow``), ``runofshow check`` and ``runofshow report`` share these numbers so
that a script, a CI job or a show-day checklist can rely on one meaning per number. Each
command's ``--help`` lists the ones it uses. 64 and 78 follow BSD's sysexits (``EX_USAGE``,
``EX_CONFIG``) so that they never collide with the small numbers the commands use for their
own findings.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NO_SHOW = 1  # report: no such show is recorded
EXIT_BAD_AGENDA = 2  # check/report: the agenda has errors (or warnings, with check --strict)
EXIT_IO = 3  # a file could not be read or written (the journal, a chart, a PDF, a sheet)
EXIT_DAMAGED_JOURNAL = 4  # report: the journal is damaged (it was left exactly as it was)
EXIT_USAGE = 64  # the command line was wrong
EXIT_UNAVAILABLE = 69  # system libraries the window needs are missing (EX_UNAVAILABLE)
EXIT_IN_USE = 75  # another runofshow already runs the show in this state folder (EX_TEMPFAIL)
EXIT_STATE_DIR = 78  # --state-dir (or $RUNOFSHOW_STATE_DIR) names a file, not a folder

__all__ = [
    "EXIT_BAD_AGENDA",
    "EXIT_DAMAGED_JOURNAL",
    "EXIT_IN_USE",
    "EXIT_IO",
    "EXIT_NO_SHOW",
    "EXIT_OK",
    "EXIT_STATE_DIR",
    "EXIT_UNAVAILABLE",
    "EXIT_USAGE",
]
