"""Chimes: which one when (``chimes``), and the sinks that play them (``sinks``; ``pulse``
for PulseAudio/PipeWire through libpulse on Linux)."""
