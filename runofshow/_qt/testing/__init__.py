"""The one seam for tests and benchmarks, off the show's path: the repaint trace
(``RUNOFSHOW_TRACE``) and the first-paint probe. Nothing here runs unless its environment
variable is set; ``probes_from_env`` is the only call the app makes into it. (The tests that
drive the real process use its HTTP API, ``--serve``: docs/remote-control.md.)"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from runofshow._qt.windows.mc_window import McWindow


def probes_from_env(window: McWindow) -> None:
    """Attach whatever the environment asks for: the repaint trace (``RUNOFSHOW_TRACE``),
    the first-paint probe (``RUNOFSHOW_EXIT_AFTER_FIRST_PAINT``). Without them, this imports
    nothing more."""
    from runofshow._qt.testing import trace

    countdown = window.view.countdown
    host = window.host
    if os.environ.get(trace.TRACE_ENV) and host.following and host.controller is None:
        # A follower's show comes from its primary after the window is up: trace it then.
        host.show_replaced.connect(lambda _engine: _trace_once(window))
        return
    if os.environ.get(trace.TRACE_ENV) and host.controller is not None:
        from runofshow.core.clock import SystemClock

        controller = host.controller
        countdown.on_paint = trace.trace_from_env(
            lambda: controller.engine.clock.monotonic(),
            controller.countdown_zero,
            SystemClock().monotonic,
        )
        host.closing.connect(_closer(countdown))
    if trace.exit_after_first_paint_requested():  # the start-up benchmark's probe
        countdown.on_paint = trace.first_paint_probe(countdown.on_paint)


def _trace_once(window: McWindow) -> None:
    if window.view.countdown.on_paint is None:
        probes_from_env(window)


def _closer(countdown):
    def close() -> None:
        hook, countdown.on_paint = countdown.on_paint, None
        if hasattr(hook, "close"):
            hook.close()

    return close
