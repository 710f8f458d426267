"""The ``runofshow`` command line: the GUI by default, plus ``check`` and ``report``.

``runofshow [AGENDA] [options]`` starts the window; ``runofshow check AGENDA`` and
``runofshow report [AGENDA]`` are terminal tools. Sub-commands are dispatched by their first
word so that a bare agenda path still opens the GUI. Each sub-command imports only what it
needs, so ``check`` never loads Qt and the GUI's first frame never waits for the report code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from runofshow import __version__
from runofshow.exit_codes import EXIT_OK, EXIT_STATE_DIR, EXIT_UNAVAILABLE


def _check(argv: Sequence[str]) -> int:
    from runofshow.check_command import main as check_main

    return check_main(argv)


def _report(argv: Sequence[str]) -> int:
    from runofshow.report_command import main as report_main

    return report_main(argv)


def _import(argv: Sequence[str]) -> int:
    from runofshow.import_command import main as import_main

    return import_main(argv)


def _export(argv: Sequence[str]) -> int:
    from runofshow.export_command import main as export_main

    return export_main(argv)


def _print(argv: Sequence[str]) -> int:
    from runofshow.print_command import main as print_main

    return print_main(argv)


def _gui(argv: Sequence[str]) -> int:
    from runofshow.system_libraries import explain, missing_libraries, uses_x11

    wants_help = any(arg in ("-h", "--help", "--version") for arg in argv)
    missing = missing_libraries() if uses_x11() and not wants_help else []
    if missing:  # before Qt loads: it would abort naming only one of them
        print(explain(missing), file=sys.stderr)
        return EXIT_UNAVAILABLE
    from runofshow._qt.app.main import main as gui_main

    try:
        return gui_main(argv)
    except ValueError as exc:
        # Imported here: the journal is not on the first frame's path.
        from runofshow.core.journal import StateDirIsAFile

        if not isinstance(exc, StateDirIsAFile):
            raise
        print(f"runofshow: {exc}", file=sys.stderr)
        return EXIT_STATE_DIR


SUBCOMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "check": _check,
    "report": _report,
    "import": _import,
    "export": _export,
    "print": _print,
}

USAGE = f"""\
usage: runofshow [AGENDA] [options]        start the timer window (default: the bundled agenda)
       runofshow check AGENDA [--strict]   check an agenda and print its timeline
       runofshow report [AGENDA] [...]     the post-show report of planned against actual
       runofshow import RUNDOWN -o AGENDA  a rundown spreadsheet (.xlsx, .csv) as an agenda
       runofshow export AGENDA -o RUNDOWN  an agenda as a rundown spreadsheet
       runofshow print AGENDA -o SHEET.pdf the run sheet for the crew, as a PDF

runofshow {__version__}: a run-of-show countdown timer for live events.
Run `runofshow --help` or `runofshow COMMAND --help` for the options.
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        print(f"runofshow {__version__}")
        return EXIT_OK
    if args and args[0] in SUBCOMMANDS:
        return SUBCOMMANDS[args[0]](args[1:])
    return _gui(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
