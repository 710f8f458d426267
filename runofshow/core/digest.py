"""SHA-256 for the start-up path, without loading OpenSSL.

``hashlib.sha256`` is OpenSSL's: importing hashlib maps libcrypto (4.7 MB on Debian), which
costs ~9 ms of a cold start (~2 ms warm) for hashing one agenda file, before the first frame.
CPython also ships its own SHA-256 as a small built-in module; the digests are identical, so
journals and cache entries do not care which one made them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol


class Digest(Protocol):
    """What a SHA-256 object offers (the built-in modules come without type stubs)."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


if TYPE_CHECKING:

    def sha256(data: bytes = b"", /) -> Digest: ...

else:
    try:
        from _sha256 import sha256  # CPython up to 3.11
    except ImportError:  # pragma: no cover - depends on the interpreter
        try:
            from _sha2 import sha256  # CPython 3.12 and later
        except ImportError:
            from hashlib import sha256  # any other interpreter

__all__ = ["Digest", "sha256"]
