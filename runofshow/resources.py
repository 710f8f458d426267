"""Where the bundled agendas and assets are, installed or run from a checkout.

A wheel carries them inside the package (``runofshow/agendas``, ``runofshow/assets``); a
checkout or an editable install keeps them at the top of the repository. Both are looked up
here so that no other module has to know.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

DEFAULT_AGENDA_NAME = "innovation-relay-2022.yaml"


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"runofshow's bundled folder {name!r} is missing from the install")


def agendas_dir() -> Path:
    """The folder of bundled example agendas."""
    return _find("agendas")


def assets_dir() -> Path:
    """The folder of bundled fonts and sounds."""
    return _find("assets")


def default_agenda() -> Path:
    """The agenda the app opens when none is named: the seed programme."""
    return agendas_dir() / DEFAULT_AGENDA_NAME
