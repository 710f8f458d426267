"""HTTP/1.1 requests and responses, as little of them as the API needs, with hard limits.

The server reads a request's head by *peeking* (a WebSocket upgrade must reach Qt's
``QWebSocketServer`` unread), so parsing is a pure function of bytes: ``parse_head`` returns
the request or raises ``HttpError`` with the status to answer. Every limit is a constant here:
a client that sends more, or never finishes, is answered and disconnected, never buffered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEAD_BYTES = 8 * 1024  # request line and headers
MAX_HEADERS = 64
MAX_BODY_BYTES = 4 * 1024  # a command's arguments: a message of 80 characters, a PIN
MAX_URL_CHARS = 2048
METHODS = frozenset({"GET", "POST", "HEAD", "OPTIONS"})
HEAD_END = b"\r\n\r\n"


class HttpError(Exception):
    """A request answered with ``status`` and ``reason`` (in words that say what to fix)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # as sent
    path: str  # percent-decoded, no query
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes = b""
    peer: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def content_length(self) -> int:
        text = self.header("content-length").strip() or "0"
        if not text.isdigit():
            raise HttpError(400, "Content-Length must be a number")
        return int(text)

    @property
    def wants_upgrade(self) -> bool:
        """A WebSocket handshake (``Upgrade: websocket``)."""
        return "websocket" in self.header("upgrade").lower()

    def form(self) -> dict[str, str]:
        """Arguments in the body of a POST: JSON (an object) or form-encoded."""
        if not self.body:
            return {}
        kind = self.header("content-type").split(";")[0].strip().lower()
        if kind == "application/json":
            try:
                data = json.loads(self.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                raise HttpError(400, f"the body is not JSON: {exc}") from None
            if not isinstance(data, dict):
                raise HttpError(400, "the JSON body must be an object of arguments")
            return {str(k): v for k, v in data.items()}
        try:
            return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, f"the body is not form-encoded text: {exc}") from None


def head_length(data: bytes) -> int | None:
    """Bytes of the request head in ``data`` including the blank line, or None if it has not
    all arrived; ``HttpError`` 431 once it cannot fit the limit any more."""
    end = data.find(HEAD_END)
    if end < 0:
        if len(data) >= MAX_HEAD_BYTES:
            raise HttpError(431, f"the request head is over {MAX_HEAD_BYTES} bytes")
        return None
    if end + len(HEAD_END) > MAX_HEAD_BYTES:
        raise HttpError(431, f"the request head is over {MAX_HEAD_BYTES} bytes")
    return end + len(HEAD_END)


def parse_head(head: bytes, peer: str = "") -> Request:
    """The request in ``head`` (request line and headers, through the blank line)."""
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        raise HttpError(400, "the request head is not text") from None
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpError(400, "the request line must be METHOD PATH HTTP/1.1")
    method, target, _version = parts
    if method not in METHODS:
        raise HttpError(405, f"{method[:20]!r} is not served: use GET or POST")
    if len(target) > MAX_URL_CHARS or not target.startswith("/"):
        raise HttpError(
            414 if len(target) > MAX_URL_CHARS else 400, "the URL is too long or not a path"
        )
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise HttpError(400, "a header line is not NAME: VALUE")
        headers[name.lower()] = value.strip()
        if len(headers) > MAX_HEADERS:
            raise HttpError(431, f"more than {MAX_HEADERS} headers")
    split = urlsplit(target)
    try:
        path = unquote(split.path, errors="strict")
        query = dict(parse_qsl(split.query, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise HttpError(400, "the URL is not UTF-8") from None
    if "\x00" in path:
        raise HttpError(400, "the URL holds a NUL byte")
    return Request(method, target, path, query, headers, peer=peer)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self, *, head_only: bool = False) -> bytes:
        reason = (
            HTTPStatus(self.status).phrase if self.status in HTTPStatus._value2member_map_ else ""
        )
        lines = [
            f"HTTP/1.1 {self.status} {reason}",
            f"Content-Type: {self.content_type}",
            f"Content-Length: {len(self.body)}",
            "Connection: close",
            "Cache-Control: no-store",
            "X-Content-Type-Options: nosniff",
            "Referrer-Policy: no-referrer",  # the PIN in a view's URL never leaves in a Referer
            "X-Frame-Options: DENY",
            *(f"{k}: {v}" for k, v in self.headers.items()),
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head if head_only else head + self.body


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return Response(status, body, headers=dict(headers or {}))


def error_response(error: HttpError, headers: dict[str, str] | None = None) -> Response:
    return json_response(error.status, {"error": error.reason, "status": error.status}, headers)
