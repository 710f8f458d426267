"""``tools.need``: a missing tool skips the test by name, or fails it when CI requires tools."""

from __future__ import annotations

import pytest
from tools import REQUIRE_ENV, missing, need


def test_a_missing_tool_skips_with_its_name(monkeypatch):
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="runofshow-no-such-tool"):
        need("sh", "runofshow-no-such-tool")


def test_ci_turns_the_skip_into_a_failure(monkeypatch):
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="runofshow-no-such-tool"):
        need("runofshow-no-such-tool")


def test_present_tools_and_things_checked_by_the_caller():
    assert missing("sh") == []
    assert missing("sh", present={"libpulse-simple.so.0": False}) == ["libpulse-simple.so.0"]
    need("sh", present={"a library": True})
