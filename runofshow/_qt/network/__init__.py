"""The show network: the HTTP API, the WebSocket feed, OSC in and out, and the browser views.

Off unless ``--serve`` (or the Network window) turns it on. ``server.ShowServer`` listens on one
port for HTTP and WebSocket, on Qt's event loop; ``osc.OscLink`` takes OSC over UDP
(``--osc``) and sends phase, segment and countdown to ``--osc-out`` targets. Every command from
the network goes through the one command table (``ShowHost.execute``), journaled before it
takes effect, with where it came from. docs/remote-control.md describes the API and the
security model; the pieces that decide (``http``, ``guard``, ``routes``) are plain Python.
"""
