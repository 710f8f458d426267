"""Running part of a test as an ordinary user, so that folder permissions apply to it.

Permissions do not stop root, and CI runs the tests as root: a test that needs a read-only
folder runs the side that must be refused in a child Python that drops to uid/gid 65534
("nobody") when the tests run as root. The child drops only once Python and the modules it
names are imported, because the interpreter's own files may live in root's home. As an
ordinary user (a developer's machine) the child simply runs as that user.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

UNPRIVILEGED = 65534
REPO = Path(__file__).resolve().parents[2]

_PRELUDE = """
import os, sqlite3, sys, tempfile
{imports}
if os.geteuid() == 0:
    os.setgid({uid})
    os.setuid({uid})
"""


def script(imports: str, body: str) -> str:
    """``body`` after ``imports`` and, as root, the drop to the unprivileged user."""
    return _PRELUDE.format(imports=imports, uid=UNPRIVILEGED) + body


def popen(code: str, args: list[str], **kwargs: Any) -> subprocess.Popen:
    """``python -c code args...`` with this checkout importable, from ``/``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd="/", env=env, **kwargs)


def run(code: str, args: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd="/", env=env, **kwargs)


def chmod_tree(folder: Path, folder_mode: int, file_mode: int) -> None:
    """``folder`` and the files directly in it."""
    folder.chmod(folder_mode)
    for path in folder.iterdir():
        path.chmod(file_mode)
