"""A real network partition between two laptops that both keep running (network namespaces,
tests/qt/peer_netns.py): the follower says so within two seconds and takes over while the
old primary, cut off, goes on counting alone; when the network heals the old primary sees
the later term, follows, and what it journaled alone is set aside on both laptops, never
merged. No two primaries once they can see each other."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tools import need

from runofshow.resources import default_agenda

ROOT = Path(__file__).resolve().parents[3]


def test_a_partition_heals_into_one_primary_and_the_cut_off_actions_are_set_aside(tmp_path):
    need("network namespaces", "nsenter")
    agenda = tmp_path / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), agenda)
    work = tmp_path / "work"
    work.mkdir()
    path = f"{ROOT / 'tests' / 'qt'}:{ROOT / 'tests'}:{ROOT}"
    done = subprocess.run(
        ["unshare", "-n", "env", f"PYTHONPATH={path}", sys.executable,
         str(ROOT / "tests" / "qt" / "peer_netns.py"), str(agenda), str(work)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.splitlines()[-1])
    assert out["silence_said_s"] <= 2.0
    assert all(answer["applied"] for answer in out["a_during"])  # A, cut off, still counts
    assert out["a_answer_s"] < 2.0  # its follower gone silent is not waited for long
    assert out["takeover"]["applied"] and out["b_after"]["applied"]
    assert [r[3] for r in out["b_rows"]] == [0, 0, 1]  # B's own action in the new term
    a, b = out["a_status"], out["b_status"]
    assert (a["role"], b["role"]) == ("follower", "primary")
    assert a["primary"] == b["primary"] and a["term"] == b["term"] == 1
    assert out["a_rows"] == out["b_rows"]  # the copies agree, row for row
    assert out["a_aside"] == out["b_aside"] == ["next", "pause"]
