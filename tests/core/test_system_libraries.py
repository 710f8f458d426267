"""Before Qt loads, the app checks for the X11 libraries Qt's xcb platform needs and, when
any is missing, prints the one line that installs them all (README's) instead of Qt's abort
naming only one."""

from __future__ import annotations

from pathlib import Path

import pytest

from runofshow import cli, system_libraries
from runofshow.exit_codes import EXIT_UNAVAILABLE
from runofshow.system_libraries import INSTALL_LINE, explain, missing_libraries, uses_x11

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_missing_library_is_named_not_just_the_first():
    gone = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    assert missing_libraries(lambda soname: soname not in gone) == [
        "libxcb-icccm4",
        "libxcb-keysyms1",
    ]
    assert missing_libraries(lambda _soname: True) == []


def test_the_message_is_readmes_one_line_install():
    text = explain(["libxcb-icccm4"])
    assert "libxcb-icccm4" in text and INSTALL_LINE in text
    assert INSTALL_LINE in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("environ", "x11"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "wayland"}, False),
        ({"XDG_SESSION_TYPE": "wayland"}, False),
    ],
)
def test_only_an_x11_start_needs_them(environ, x11, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    assert uses_x11(environ) is x11


def test_the_window_is_not_started_when_they_are_missing(monkeypatch, capsys):
    """`runofshow` on such a machine: the install line and exit 69, before Qt is imported
    (this runs where PySide6 may not even be installed)."""
    monkeypatch.setattr(system_libraries, "uses_x11", lambda: True)
    monkeypatch.setattr(system_libraries, "_loads", lambda soname: "icccm" not in soname)
    assert cli.main(["my-event.yaml"]) == EXIT_UNAVAILABLE
    assert INSTALL_LINE in capsys.readouterr().err
