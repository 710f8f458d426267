"""The HTTP API with a real client (urllib) on loopback: every command of the table at
/api/<command>, GET or POST, journaled with source "http", answered with what it did."""

from __future__ import annotations

import json

import pytest
from net_helpers import PIN, http, serve

from runofshow.core.commands import COMMANDS


@pytest.fixture
def server(qtbot, engine):
    served = serve(engine)
    yield served
    served.close()


def test_next_by_get_is_journaled_from_http_and_acknowledged(qtbot, server, engine, clock):
    start = http(qtbot, server, f"/api/start?pin={PIN}")
    assert start.status == 200 and start.body["applied"] and start.body["command"] == "start"
    clock.advance(2)
    answer = http(qtbot, server, f"/api/next?pin={PIN}")
    assert answer.status == 200
    last = engine.actions[-1]
    assert (answer.body["seq"], answer.body["t"]) == (last.seq, last.t)
    assert (last.name, last.source) == ("next", "http")
    assert engine.now().index == 1


def test_bearer_pin_and_post_with_json_arguments(qtbot, server, engine):
    headers = {"Authorization": f"Bearer {PIN}", "Content-Type": "application/json"}
    body = json.dumps({"text": "마이크 확인", "flash": True}).encode()
    answer = http(qtbot, server, "/api/message", method="POST", headers=headers, data=body)
    assert answer.status == 200, answer.body
    assert engine.now().message.text == "마이크 확인" and engine.now().message.flash


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/api/goto/3", lambda now: now.index == 2),
        ("/api/goto/s4", lambda now: now.index == 4),
        ("/api/add/60", lambda now: now.allowance_s == 360),
        ("/api/remove/60", lambda now: now.allowance_s == 240),
        ("/api/blackout/on", lambda now: now.blackout),
        ("/api/message/Wrap%20up", lambda now: now.message.text == "Wrap up"),
        ("/api/add?seconds=-30", lambda now: now.allowance_s == 270),
    ],
)
def test_url_forms_map_onto_the_commands_arguments(qtbot, server, engine, path, check):
    engine.start()
    sep = "&" if "?" in path else "?"
    answer = http(qtbot, server, f"{path}{sep}pin={PIN}")
    assert answer.status == 200, answer.body
    assert check(engine.now())


def test_a_refused_command_is_409_with_its_reason_and_journals_nothing(qtbot, server, engine):
    answer = http(qtbot, server, f"/api/pause?pin={PIN}")
    assert answer.status == 409
    assert answer.body == {**answer.body, "applied": False, "reason": "the show is not running"}
    assert engine.actions == []


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/quit", 403, "not a show command"),
        ("/api/mute", 403, "not a show command"),
        ("/api/open", 403, "not a show command"),
        ("/api/nope", 404, "there is no command"),
        ("/api/goto/99", 409, "no segment '99'"),
        ("/api/add/lots", 400, "seconds must be a number"),
        ("/api/goto", 400, "goto needs segment"),
    ],
)
def test_what_the_network_may_not_run_is_refused_by_name(
    qtbot, server, engine, path, status, words
):
    answer = http(qtbot, server, f"{path}?pin={PIN}")
    assert answer.status == status and words in json.dumps(answer.body), answer.body
    assert engine.actions == []


def test_every_show_command_of_the_table_is_listed_and_nothing_else(qtbot, server):
    answer = http(qtbot, server, "/api/commands")
    names = {c["name"] for c in answer.body["commands"]}
    assert names == {c.name for c in COMMANDS if c.remote}


def test_state_reads_without_a_pin_and_the_operator_part_needs_it(qtbot, server, engine):
    engine.start()
    plain = http(qtbot, server, "/api/state")
    assert plain.status == 200 and plain.body["show"]["status"] == "running"
    assert "operator" not in plain.body
    operator = http(qtbot, server, f"/api/state?pin={PIN}").body["operator"]
    assert operator["journal_error"] is None and isinstance(operator["notices"], dict)


def test_the_docs_list_every_call():
    """docs/remote-control.md names every command the network may run, and OSC's addresses."""
    from pathlib import Path

    docs = (Path(__file__).parents[3] / "docs" / "remote-control.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        if command.remote:
            assert f"/api/{command.name}" in docs, command.name
    assert "/runofshow/goto" in docs and "/runofshow/countdown" in docs
