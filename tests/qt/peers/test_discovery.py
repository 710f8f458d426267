"""Finding a show on the LAN by mDNS/DNS-SD: a primary serving on the LAN advertises itself,
``--join`` without an address finds it and follows it. Each test runs in a private network
namespace (``unshare -n``) with a LAN of its own (a dummy interface, multicast on), so no
packet reaches the machine's real network and no other show on it is found."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tools import need

from runofshow.resources import default_agenda

ROOT = Path(__file__).resolve().parents[3]
LAN = (
    "ip link set lo up && ip link add lan0 type veth peer name lan1"
    " && ip addr add 10.99.0.1/24 dev lan0 && ip link set lan1 up && ip link set lan0 up"
)


def in_own_lan(script: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """Run Python ``script`` in a network namespace of its own (its LAN: 10.99.0.1/24)."""
    need("network namespaces")
    code = f"import sys; sys.path[:0] = {[str(ROOT / 'tests' / 'qt'), str(ROOT / 'tests')]!r}\n"
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", f'{LAN} && exec "$0" -c "$1"', sys.executable,
         code + script],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def test_a_show_is_found_by_name_and_two_are_listed_to_pick_from():
    done = in_own_lan(
        "import io, json, time\n"
        "from runofshow._qt.peers.discovery import Advertiser, choose_show\n"
        "out = {}\n"
        "none = io.StringIO(); out['none'] = [choose_show(1.0, none), none.getvalue()]\n"
        "a = Advertiser(8765, ['10.99.0.1'], {'name': 'mc', 'title': '혁신 이어달리기',"
        " 'uid': 'aa', 'role': 'primary'})\n"
        "assert a.registered.wait(10)\n"
        "one = io.StringIO(); out['one'] = [choose_show(3.0, one), one.getvalue()]\n"
        "b = Advertiser(8766, ['10.99.0.1'], {'name': 'rehearsal-room', 'title': 'Run-through',"
        " 'uid': 'bb', 'role': 'primary'})\n"
        "assert b.registered.wait(10)\n"
        "two = io.StringIO(); out['two'] = [choose_show(3.0, two), two.getvalue()]\n"
        "a.close(); b.close(); time.sleep(0.5)\n"
        "print(json.dumps(out))\n"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.splitlines()[-1])
    code, text = out["none"]
    assert code == 1 and "no show found" in text and "--join HOST:PORT" in text
    url, text = out["one"]
    assert url == "http://10.99.0.1:8765" and "혁신 이어달리기" in text
    code, text = out["two"]
    assert code == 64
    assert "runofshow --join 10.99.0.1:8765 --pin PIN" in text
    assert "runofshow --join 10.99.0.1:8766 --pin PIN" in text


def test_join_without_an_address_follows_the_show_on_the_lan(tmp_path):
    """The real app: the MC's laptop serves on the LAN (0.0.0.0) and advertises; the stage
    manager's laptop, started with ``--join`` and the PIN only, finds it and follows it."""
    agenda = tmp_path / "innovation-relay-2022.yaml"
    shutil.copy(default_agenda(), agenda)
    done = in_own_lan(
        "import json, time\n"
        "from pathlib import Path\n"
        "from peer_proc import Machine, wait_for\n"
        f"work = Path({str(tmp_path)!r})\n"
        f"a = Machine([{str(agenda)!r}, '--rehearse', '14:59:30'], work / 'a', work / 'a.log',"
        " serve='0.0.0.0:0')\n"
        "b = None\n"
        "try:\n"
        "    a.wait_serving(); a.ready()\n"
        "    from runofshow._qt.peers.discovery import browse\n"
        "    wait_for('the show advertised', lambda: browse(1.0), timeout=20)\n"
        "    b = Machine(['--join'], work / 'b', work / 'b.log')\n"
        "    b.wait_serving()\n"
        "    status = b.wait_following()\n"
        "    a.command('start')\n"
        "    b.wait_following(rows=1)\n"
        "    print(json.dumps({'a': a.url, 'b': status['primary']}))\n"
        "finally:\n"
        "    a.close()\n"
        "    b is not None and b.close()\n",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:] + (tmp_path / "b.log").read_text()[-2000:]
    out = json.loads(done.stdout.splitlines()[-1])
    assert out["a"].startswith("http://10.99.0.1:") and out["b"] == out["a"]
