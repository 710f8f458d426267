"""The PySide6 shell: windows, widgets, keys and sound over ``runofshow.core``.

Qt is imported only under this package, so the core and its tests run without it. Nothing here
keeps show state of its own: every widget is drawn from ``ShowEngine.now()`` at paint time and
every key becomes an engine action.
"""

import PySide6  # noqa: F401  (loads the feature module patched below)

from runofshow._qt.pyside_import_scan import faster_feature_scan

faster_feature_scan()  # before any of our modules is imported: see pyside_import_scan
