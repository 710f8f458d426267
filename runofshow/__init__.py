"""runofshow: a run-of-show countdown timer for live events.

The package is split in two: ``runofshow.core`` holds the agenda model, the loader, the show
engine, the journal and the report and never imports Qt; ``runofshow._qt`` is the thin PySide6
shell that draws the core's state and turns keys into core actions.
"""

__version__ = "0.1.0"
