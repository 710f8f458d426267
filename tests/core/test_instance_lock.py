"""One app per show: the state folder's lock, held for the app's life and dropped by the
operating system when the process dies, however it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runofshow.core.instance_lock import ShowInUse, hold_show

HOLDER = """
import sys, time
from pathlib import Path
from runofshow.core.instance_lock import hold_show
lock = hold_show(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()  # until the test kills it
"""


def test_a_second_hold_on_the_same_folder_is_refused_naming_the_holder(tmp_path: Path):
    with hold_show(tmp_path), pytest.raises(ShowInUse) as refused:
        hold_show(tmp_path)
    assert refused.value.pid == os.getpid()
    assert f"already running the show in {tmp_path} (process {os.getpid()})" in str(refused.value)
    with hold_show(tmp_path):  # released: the next start takes it
        pass


def test_a_killed_holder_never_blocks_the_next_start(tmp_path: Path):
    """SIGKILL leaves the lock file behind, but not the lock: the OS dropped it."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(ShowInUse) as refused:
            hold_show(tmp_path)
        assert refused.value.pid == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        for stream in (holder.stdin, holder.stdout):
            stream.close()
    assert (tmp_path / "runofshow.lock").exists()
    with hold_show(tmp_path):
        pass
