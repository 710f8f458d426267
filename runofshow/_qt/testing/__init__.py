"""The one seam for tests and benchmarks, off the show's path: the stdin control channel
(``RUNOFSHOW_CONTROL``), the repaint trace (``RUNOFSHOW_TRACE``) and the first-paint probe.
Nothing here runs unless its environment variable is set; ``probes_from_env`` is the only
call the app makes into it."""
