"""Grab each monitor of the X display in ``$DISPLAY`` to a PNG: ``grab_screens.py FOLDER``.

Run as a separate process by the show-day rig, so that what the test inspects is what the X
server shows, not what the app under test believes it drew. Prints ``{"MC": "FOLDER/MC.png",
...}`` as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication


def main(folder: Path) -> int:
    app = QGuiApplication(["grab_screens", "-platform", "xcb"])
    shots = {}
    for screen in app.screens():
        path = folder / f"{screen.name()}.png"
        if not screen.grabWindow(0).save(str(path)):
            print(f"could not save {path}", file=sys.stderr)
            return 1
        shots[screen.name()] = str(path)
    print(json.dumps(shots))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
