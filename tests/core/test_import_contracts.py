"""The layers stay layers: read from the source (no imports run), so the contracts hold in
the core-only environment too.

- ``runofshow.core`` imports nothing from Qt, nothing from the shell (``runofshow._qt``) and
  nothing from the command-line modules: it is the model every part rests on.
- ``runofshow._qt`` (the shell) never imports the command-line modules (``cli``,
  ``check_command``, ``report_command``, …): a window does not run a command line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "runofshow"
CLI_MODULES = {
    "runofshow.cli",
    "runofshow.__main__",
    "runofshow.check_command",
    "runofshow.report_command",
    "runofshow.import_command",
    "runofshow.export_command",
    "runofshow.print_command",
    "runofshow._command_parser",
}


def imports_of(source: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in ``source``, lazy ones inside functions included."""
    tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    package = ".".join(source.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield node.lineno, base


def modules_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def breaches(folder: Path, forbidden) -> list[str]:
    found = []
    for source in modules_under(folder):
        for line, module in imports_of(source):
            if forbidden(module):
                found.append(f"{source.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return found


def test_the_core_imports_no_qt_no_shell_and_no_command_line():
    def forbidden(module: str) -> bool:
        return (
            module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
            or module.startswith("runofshow._qt")
            or module in CLI_MODULES
        )

    assert breaches(PACKAGE / "core", forbidden) == []


def test_the_shell_never_imports_the_command_line():
    assert breaches(PACKAGE / "_qt", lambda module: module in CLI_MODULES) == []


@pytest.mark.parametrize("forbidden", ["PySide6.QtWidgets", "runofshow._qt.app.host"])
def test_the_contract_check_sees_a_breach(tmp_path, forbidden, monkeypatch):
    """The checker itself finds a planted import (lazy, inside a function)."""
    core = tmp_path / "runofshow" / "core"
    core.mkdir(parents=True)
    (core / "planted.py").write_text(f"def f():\n    import {forbidden}\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "runofshow")
    found = breaches(core, lambda m: m.split(".")[0] == "PySide6" or m.startswith("runofshow._qt"))
    assert found == [f"runofshow/core/planted.py:2 imports {forbidden}"]
