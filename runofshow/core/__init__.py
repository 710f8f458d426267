"""The Qt-free core: agenda model and loader, show engine, journal and report.

Nothing under this package may import PySide6; ``tests/core`` runs without it installed.
"""
