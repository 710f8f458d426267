"""Validating an agenda in a child process gives the loader's answer, keeps PyYAML and
pydantic out of the asking process, and falls back to loading in-process if the child
cannot answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from runofshow.core import isolated_loader
from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.isolated_loader import load_bytes_isolated, load_file_isolated
from runofshow.core.loader import load_agenda
from runofshow.core.problems import AgendaError
from runofshow.resources import default_agenda


def test_the_child_returns_the_loaders_agenda(tmp_path: Path) -> None:
    """The bundled agenda, validated in a child, equals the one the loader builds here."""
    path = tmp_path / "show.yaml"
    path.write_bytes(default_agenda().read_bytes())
    assert load_bytes_isolated(path.read_bytes(), path) == load_agenda(path)


def test_the_childs_problems_are_the_loaders(tmp_path: Path) -> None:
    """A broken agenda raises AgendaError with the same problems, lines and columns."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("event:\n  title: x\n  date: 2022-13-40\nsegments: 3\n", encoding="utf-8")
    with pytest.raises(AgendaError) as direct:
        load_agenda(broken)
    with pytest.raises(AgendaError) as isolated:
        load_bytes_isolated(broken.read_bytes(), broken)
    assert isolated.value.problems == direct.value.problems
    assert all(p.line > 0 for p in isolated.value.problems)


def test_a_file_that_cannot_be_read_is_worded_by_the_child(tmp_path: Path) -> None:
    """A missing file's problem comes back named, as the loader words it."""
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(AgendaError) as caught:
        load_file_isolated(missing)
    assert "no such file" in str(caught.value)


def test_validation_does_not_import_yaml_or_pydantic_here(tmp_path: Path) -> None:
    """In a fresh interpreter, an isolated cache miss leaves PyYAML and pydantic unimported:
    the memory they take (~20 MB) stays in the child, which has exited."""
    path = tmp_path / "show.yaml"
    path.write_bytes(default_agenda().read_bytes())
    code = (
        "import sys; from pathlib import Path\n"
        "from runofshow.core.agenda_cache import AgendaCache\n"
        f"agenda = AgendaCache(Path({str(tmp_path / 'cache')!r}), isolated=True)"
        f".load(Path({str(path)!r}))\n"
        "assert agenda.segments, 'no segments'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
    assert list((tmp_path / "cache").glob("*.json")), "the child's agenda is cached too"


def test_a_child_that_fails_falls_back_to_loading_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No interpreter to start (a frozen build) or a crashed child: the agenda still opens,
    validated in this process."""
    path = tmp_path / "show.yaml"
    path.write_bytes(default_agenda().read_bytes())
    monkeypatch.setattr(isolated_loader.sys, "executable", str(tmp_path / "no-python"))
    cache = AgendaCache(tmp_path / "cache", isolated=True)
    assert cache.load(path) == load_agenda(path)
    monkeypatch.setattr(isolated_loader.sys, "executable", "/bin/false")
    assert load_bytes_isolated(path.read_bytes(), path) == load_agenda(path)


def test_a_frozen_build_never_starts_itself_as_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a bundled app (PyInstaller and the like) ``sys.executable`` is the app: starting it
    as the validator would open a second window. The agenda is validated in-process."""
    path = tmp_path / "show.yaml"
    path.write_bytes(default_agenda().read_bytes())
    monkeypatch.setattr(isolated_loader.sys, "frozen", True, raising=False)
    started: list[object] = []
    monkeypatch.setattr(isolated_loader.subprocess, "run", lambda *a, **k: started.append(a))
    assert load_bytes_isolated(path.read_bytes(), path) == load_agenda(path)
    assert started == []


def test_a_runofshow_folder_in_the_working_folder_is_not_the_childs_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from a folder that happens to hold another ``runofshow`` (an old checkout),
    the child still validates with this package: it would otherwise fall back, or worse."""
    stray = tmp_path / "runofshow"
    stray.mkdir()
    (stray / "__init__.py").write_text("raise SystemExit('the stray package was imported')\n")
    monkeypatch.chdir(tmp_path)
    path = default_agenda()
    assert isolated_loader._ask_child([str(path)], path.read_bytes()) is not None
