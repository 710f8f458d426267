"""The app's log in the state folder: what was caught and survived (and what escaped) is
written with its time, and the post-show report finds the errors of a show's own span."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pytest

from runofshow.core.show_log import LOG_NAME, errors_between, log_folder, start_logging


class _Reported(list):
    def append_args(self, *args) -> None:
        self.append(args)


REPORTED = _Reported()


@pytest.fixture
def logging_to(tmp_path: Path):
    """start_logging into ``tmp_path``, undone afterwards (handlers, hooks)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook,)
    sys.excepthook = REPORTED.append_args  # stands for Python's own report (and pytest-qt's)
    path = start_logging(tmp_path)
    yield path
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    sys.excepthook = hooks[0]
    logging.captureWarnings(False)


def test_a_survived_exception_is_written_with_its_traceback(logging_to, tmp_path):
    assert logging_to == log_folder(tmp_path) / LOG_NAME
    before = time.time()
    try:
        raise RuntimeError("a listener broke")
    except RuntimeError:
        logging.getLogger("runofshow.test").exception("the show goes on")
    text = logging_to.read_text(encoding="utf-8")
    assert "ERROR runofshow.test: the show goes on" in text
    assert "RuntimeError: a listener broke" in text and "Traceback" in text
    found = errors_between(tmp_path, before - 1, time.time() + 1)
    assert [e.text for e in found] == ["runofshow.test: the show goes on"]
    assert errors_between(tmp_path, 0, before - 10) == []


def test_an_uncaught_exception_is_logged_before_python_reports_it(logging_to, tmp_path):
    REPORTED.clear()
    try:
        raise ValueError("nobody caught me")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    text = logging_to.read_text(encoding="utf-8")
    assert "CRITICAL runofshow.escaped: uncaught ValueError" in text
    assert len(REPORTED) == 1 and REPORTED[0][0] is ValueError  # and then reported as usual


def test_an_unwritable_state_folder_logs_to_the_terminal_only(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        assert start_logging(blocker / "state") is None
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
