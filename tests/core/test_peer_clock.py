"""A follower's clock: the primary's measured through round trips, the best of the last few
by round trip; never going backwards; frozen when the primary is gone. And what a machine
keeps of the show's peers in its state folder."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runofshow.core.clock import FakeClock, RehearsalClock
from runofshow.core.peer_clock import OffsetEstimator, PeerClock, Sample
from runofshow.core.peer_files import (
    MAX_PEERS,
    KnownPeers,
    Peer,
    agenda_copy,
    as_json,
    load_known_peers,
    peer_id,
    peer_url,
    peers_of,
    save_agenda_copy,
    save_known_peers,
)

TRUE_OFFSET = 5_000.0  # the primary's clock reads this much more than ours


def exchange(sent: float, out_s: float, back_s: float) -> Sample:
    """A round trip whose message took ``out_s`` to get there and ``back_s`` to come back."""
    return Sample(sent, sent + out_s + TRUE_OFFSET, sent + out_s + back_s, server_wall=1e9)


def test_the_shortest_round_trip_wins_and_bounds_the_error():
    estimator = OffsetEstimator()
    estimator.add(exchange(0.0, 0.030, 0.001))  # a reply held up on the way there
    estimator.add(exchange(1.0, 0.0004, 0.0006))
    estimator.add(exchange(2.0, 0.001, 0.050))  # one held up on the way back
    assert estimator.rtt == pytest.approx(0.001)
    assert abs(estimator.offset - TRUE_OFFSET) <= estimator.rtt / 2
    assert estimator.wall_minus_mono == pytest.approx(1e9 - (2.001 + TRUE_OFFSET))


@given(st.lists(st.tuples(st.floats(0, 0.2), st.floats(0, 0.2)), min_size=1, max_size=30))
def test_the_error_is_never_more_than_half_the_best_round_trip(delays):
    estimator = OffsetEstimator()
    for n, (out_s, back_s) in enumerate(delays):
        estimator.add(exchange(float(n), out_s, back_s))
    assert abs(estimator.offset - TRUE_OFFSET) <= estimator.rtt / 2 + 1e-9


def test_only_the_last_eight_count():
    estimator = OffsetEstimator()
    estimator.add(exchange(0.0, 0.0001, 0.0001))
    for n in range(1, 9):
        estimator.add(exchange(float(n), 0.01, 0.01))
    assert estimator.rtt == pytest.approx(0.02)  # the old best has aged out


def test_nonsense_is_not_a_measurement():
    estimator = OffsetEstimator()
    assert not estimator.add(Sample(1.0, 5.0, 0.5))  # answered before it was asked
    assert not estimator.add(Sample(1.0, float("nan"), 2.0))
    # Finite, but no clock reads it: the follower's countdown overflowed (1e308) or, never
    # going back, stood still for good (-1e308).
    assert not estimator.add(Sample(1.0, 1e308, 2.0))
    assert not estimator.add(Sample(1.0, -1e308, 2.0))
    assert not estimator.add(Sample(1.0, 5.0, 2.0, server_wall=1e308))
    assert not estimator.ready and estimator.offset is None


def test_the_clock_reads_the_primarys_time_and_never_goes_back():
    local = FakeClock(wall=100.0, mono=10.0)
    clock = PeerClock(local, "primary-boot", offset=TRUE_OFFSET, wall_minus_mono=1e9)
    assert clock.monotonic() == 10.0 + TRUE_OFFSET
    assert clock.wall() == 10.0 + TRUE_OFFSET + 1e9
    assert clock.boot_id == "primary-boot"
    clock.update(TRUE_OFFSET - 0.0005)  # a better measurement, a hair lower
    assert clock.monotonic() == 10.0 + TRUE_OFFSET  # held, not stepped back
    local.advance(1.0)
    assert clock.monotonic() == pytest.approx(11.0 + TRUE_OFFSET - 0.0005)


def test_a_frozen_clock_keeps_its_last_offset():
    local = FakeClock(wall=100.0, mono=10.0)
    clock = PeerClock(local, "b", offset=1.0, wall_minus_mono=0.0)
    clock.freeze()
    clock.update(2.0)
    local.advance(3.0)
    assert clock.monotonic() == 14.0


def test_a_rehearsal_on_the_peer_clock_reads_what_the_primarys_reads():
    """The primary's rehearsal clock is built on its own real clock; the follower's on the
    peer clock with the primary's boot id: same anchor, same reading."""
    primary_real = FakeClock(wall=1000.0, mono=500.0, boot_id="primary-boot")
    primary = RehearsalClock.starting_at(primary_real, sim_wall=2000.0, speed=20)
    local = FakeClock(wall=999.9, mono=30.0, boot_id="follower-boot")
    follower = RehearsalClock(
        PeerClock(local, "primary-boot", offset=470.0, wall_minus_mono=500.0), primary.anchor
    )
    for step in (0.0, 1.5, 60.0):
        primary_real.advance(step)
        local.advance(step)
        assert follower.monotonic() == pytest.approx(primary.monotonic())


# -- the state folder -------------------------------------------------------------------------


def test_a_state_folder_keeps_one_peer_id(tmp_path):
    first = peer_id(tmp_path)
    assert len(first) == 16 and peer_id(tmp_path) == first
    assert peer_id(tmp_path / "other") != first


def test_known_peers_survive_a_restart_and_garbage_is_ignored(tmp_path):
    known = KnownPeers("00ff00ff00ff00ff", (Peer("a" * 16, "MC 노트북", "http://10.0.0.5:8765"),))
    save_known_peers(tmp_path, known)
    assert load_known_peers(tmp_path) == known
    (tmp_path / "peers.json").write_text(
        json.dumps({"show": "x", "peers": [{"id": 3}, {"id": "b", "name": "n", "url": "ftp:x"}]})
    )
    assert load_known_peers(tmp_path) == KnownPeers("x", ())
    (tmp_path / "peers.json").write_text("{not json")
    assert load_known_peers(tmp_path) is None
    (tmp_path / "peers.json").write_text("[" * 100_000)  # a RecursionError, not a ValueError
    assert load_known_peers(tmp_path) is None


def test_the_peers_a_primary_names_are_bounded_however_many_messages_name_new_ones(tmp_path):
    """A primary naming 32 new machines in each ``peers`` message: what is kept (and written
    to peers.json, and tried when the primary is lost) grew by 32 a message, without end."""
    known = KnownPeers("00ff00ff00ff00ff", ())
    for message in range(100):
        heard = [
            Peer(f"{message:08x}{n:08x}", "n", f"http://10.0.{message}.{n}:1") for n in range(32)
        ]
        known = known.merged("00ff00ff00ff00ff", peers_of([as_json(p) for p in heard]))
        assert len(known.peers) <= MAX_PEERS
    assert {p.id for p in known.peers} == {p.id for p in heard}  # the latest heard are kept
    mc = Peer("a" * 16, "MC", "http://10.0.0.5:8765")
    known = KnownPeers("00ff00ff00ff00ff", (mc,)).merged("00ff00ff00ff00ff", heard[:3])
    assert known.peers == (mc, *heard[:3])  # below the bound, nobody is left out
    assert KnownPeers("other", (mc,)).merged("00ff00ff00ff00ff", ()).peers == ()


def test_only_an_http_address_is_a_machine_of_the_show():
    """A primary's ``moved`` names where to look next: a file or a script is never asked."""
    assert peer_url("http://10.0.0.5:8765") == "http://10.0.0.5:8765"
    for hostile in ("file:///etc/passwd", "javascript:alert(1)", "https://x", None, 5):
        assert peer_url(hostile) is None
    assert peer_url("http://" + "x" * 300) is None


def test_a_fifo_in_the_state_folder_is_not_read_and_blocks_nothing(tmp_path, caplog):
    """peers.json, peer-id or a kept agenda that is a FIFO: reading it blocked for good, and
    the app hung before its first window (peers.json is read at start). Each is refused, and
    the log says so."""
    import threading

    uid = "00ff00ff00ff00ff"
    (tmp_path / "peer-agendas").mkdir()
    for name in ("peers.json", "peer-id", f"peer-agendas/{uid}.json"):
        os.mkfifo(tmp_path / name)
    found: list[object] = []
    reader = threading.Thread(
        target=lambda: found.extend([load_known_peers(tmp_path), agenda_copy(tmp_path, uid),
                                     peer_id(tmp_path)]),
        daemon=True,
    )  # fmt: skip
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "a FIFO in the state folder blocked the read"
    assert found[:2] == [None, None] and len(str(found[2])) == 16
    assert str(tmp_path / "peers.json") in caplog.text and "not a regular file" in caplog.text
    assert f"{uid}.json" in caplog.text


def test_an_agenda_sent_by_the_primary_is_kept_under_its_show(tmp_path):
    assert save_agenda_copy(tmp_path, "00ff00ff00ff00ff", b"{}") is not None
    assert agenda_copy(tmp_path, "00ff00ff00ff00ff") == b"{}"
    assert save_agenda_copy(tmp_path, "../../etc/passwd", b"x") is None
    assert agenda_copy(tmp_path, "../../etc/passwd") is None
