"""A cache of validated agendas, so that opening an unchanged agenda skips YAML and pydantic.

Parsing and validating an agenda is quick (a few ms), but importing PyYAML, pydantic and the
schema costs ~90 ms, which is most of the app's start-up beyond Qt itself. An agenda that
loaded without errors is stored as JSON (``agenda_codec``) under a key made of its bytes, its
resolved path (relative video paths resolve against it) and a fingerprint of this package's
core sources and version; the next start with the same file decodes it without importing the
loader at all.

The cache lives in the state folder, which anyone with access to the machine (or to a shared
or removable state folder) may have written to, so an entry is data, never code: it was
pickled once, and a planted pickle runs whatever it says when loaded. An entry that does not
decode to a well-formed agenda within the engine's bounds, for whatever reason, is ignored
(and logged) and the agenda is validated afresh.

Only successful loads are stored, so errors and their messages always come from the loader.
Any trouble with the cache (unreadable, corrupt, unwritable folder) falls back to the loader:
the cache can make a start faster, never different.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from runofshow import __version__
from runofshow.core.agenda import Agenda
from runofshow.core.agenda_codec import CodecError, decode_agenda, encode_agenda
from runofshow.core.agenda_file import read_agenda_file
from runofshow.core.digest import sha256

logger = logging.getLogger(__name__)
CORE_DIR = Path(__file__).resolve().parent
# The loader's own size cap (yamlsource.MAX_BYTES, not imported: that would load PyYAML).
# Never read more than this, so a runaway 5 GB "agenda" cannot fill memory here either.
CACHEABLE_BYTES = 1024 * 1024


def fingerprint() -> bytes:
    """What the loader's result depends on besides the file: our version and core sources
    (so a changed loader in a checkout never serves an agenda built by the old one)."""
    parts = [__version__, sys.version]
    for source in sorted(CORE_DIR.glob("*.py")):
        stat = source.stat()
        parts.append(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts).encode()


def cache_key(data: bytes, path: Path) -> str:
    digest = sha256(fingerprint())
    digest.update(str(path.resolve()).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


class AgendaCache:
    """Validated agendas stored as JSON in ``folder`` (created on first store). ``isolated``: a
    miss is validated in a child process (``isolated_loader``), as the MC's window does, so
    that PyYAML and pydantic stay out of a process that runs all show long."""

    def __init__(self, folder: Path, *, isolated: bool = False) -> None:
        self.folder = folder
        self.isolated = isolated

    def load(self, path: str | os.PathLike[str]) -> Agenda:
        """The agenda at ``path``: from the cache if this exact file was loaded before, else
        through the loader (which raises ``AgendaError`` as usual), then stored."""
        file = Path(path)
        data = read_agenda_file(file, CACHEABLE_BYTES)  # the loader's own read and wording
        if len(data) > CACHEABLE_BYTES:  # too large to be an agenda: the loader says where
            return self._load_file(file)
        key = cache_key(data, file)
        cached = self._read(key)
        if cached is not None:
            return replace(cached, path=file)
        agenda = self._load_bytes(data, file)
        self._write(key, agenda)
        return agenda

    def _load_file(self, file: Path) -> Agenda:
        if self.isolated:
            from runofshow.core.isolated_loader import load_file_isolated

            return load_file_isolated(file)
        return _load_agenda(file)

    def _load_bytes(self, data: bytes, file: Path) -> Agenda:
        if self.isolated:
            from runofshow.core.isolated_loader import load_bytes_isolated

            return load_bytes_isolated(data, file)
        return _load_agenda_bytes(data, file)

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _read(self, key: str) -> Agenda | None:
        entry = self._entry(key)
        try:
            data = entry.read_bytes()
        except FileNotFoundError:
            logger.debug("no agenda cache entry %s: not loaded before", entry)
            return None
        except OSError as exc:
            logger.warning("agenda cache entry %s cannot be read: %s", entry, exc)
            return None
        try:
            return decode_agenda(data)
        except CodecError as exc:  # truncated, from another build, or planted: never trusted
            logger.warning("ignoring agenda cache entry %s: %s", entry, exc)
        except Exception:  # the decoder's own bug must not stop an agenda from opening
            logger.exception("ignoring agenda cache entry %s: it could not be decoded", entry)
        return None

    def _write(self, key: str, agenda: Agenda) -> None:
        entry = self._entry(key)
        # Per process and thread: the window checks a saved agenda on a worker thread while
        # Ctrl+R may load the same file on the GUI thread.
        partial = entry.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(encode_agenda(agenda))
            os.replace(partial, entry)
        except OSError as exc:  # a read-only or full disk costs the next start ~90 ms, no more
            logger.warning("agenda cache entry %s not stored: %s", entry, exc)
            try:
                partial.unlink(missing_ok=True)
            except OSError as cleanup:
                logger.warning("could not remove %s: %s", partial, cleanup)


def _loader() -> ModuleType:
    from runofshow.core import loader  # PyYAML and pydantic: only when the cache misses

    return loader


def _load_agenda(file: Path) -> Agenda:
    agenda: Agenda = _loader().load_agenda(file)
    return agenda


def _load_agenda_bytes(data: bytes, file: Path) -> Agenda:
    agenda: Agenda = _loader().load_agenda_bytes(data, file)
    return agenda
