"""Reading an agenda's YAML into plain text, lists and dicts, remembering where each came from.

PyYAML's usual loaders apply YAML 1.1 guessing: an unquoted ``15:00`` becomes the integer 900
(sexagesimal), ``no`` becomes ``False`` and ``010`` becomes 8. An agenda is full of exactly
those values, so nothing here guesses: every scalar stays the text the person typed and the
schema decides what it means. The one exception is "no value": an empty plain scalar and
YAML's plain null words (``null``, ``Null``, ``NULL``, ``~``) become ``None``, because every
YAML tool reads them that way and ``speaker: null`` must not put "null" on the stage screen.
Quoted, they stay text (``title: "null"`` is a title).

We build the values from PyYAML's *event* stream (the C parser when libyaml is present) rather
than from composed nodes, because events still carry what composing throws away and we must
refuse: anchors (``&a``), aliases (``*a``, the "billion laughs" expansion) and explicit tags
(``!!python/object/apply:os.system``). Building from events also keeps our own depth limit
ahead of any recursion, and every event has a start mark, so each key and value gets a
``SourcePos``. Problems are collected, not raised one by one, so a single run reports them all.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from runofshow.core.agenda import SourcePos
from runofshow.core.problems import AgendaError, Problem, Severity

logger = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024  # 1 MiB: a real agenda is a few kilobytes
MAX_DEPTH = 20  # an agenda needs 5 levels; deeper is a mistake or an attack
MAX_REPORTED = 20  # bad bytes or tab lines reported before we stop listing them
UTF16_SAMPLE = 4096  # bytes looked at to tell UTF-16 without a byte-order mark

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]
_DISCARD = object()  # the key of a value we have already reported and will not keep
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)
_NULL_WORDS = frozenset({"", "null", "Null", "NULL", "~"})  # YAML's null, as a plain scalar


class Located(NamedTuple):
    """Where a value sits: its key (or list item) and the value itself.

    It holds the parser's own marks and turns them into ``SourcePos`` only when asked, which
    is rare (an error, a warning), so a 2,000-segment agenda does not pay for 40,000 of them.
    """

    key_mark: yaml.Mark
    value_mark: yaml.Mark

    @property
    def key(self) -> SourcePos:
        return SourcePos(self.key_mark.line + 1, self.key_mark.column + 1)

    @property
    def value(self) -> SourcePos:
        return SourcePos(self.value_mark.line + 1, self.value_mark.column + 1)


@dataclass(slots=True)
class Document:
    """The plain data of one agenda file and where each part of it was written."""

    data: Any
    where: dict[Path_, Located]


def read_document(data: bytes, path: Path) -> Document:
    """Decode and parse ``data``; raise ``AgendaError`` listing every problem found."""
    text = decode(data, path)
    builder = _Builder(path)
    builder.run(text)
    if builder.problems:
        raise AgendaError(builder.problems)
    return Document(builder.root, builder.where)


def _error(path: Path, pos: SourcePos | None, message: str, hint: str | None = None) -> Problem:
    line, col = (pos.line, pos.col) if pos else (0, 0)
    return Problem(path, line, col, Severity.ERROR, message, hint)


# -- bytes to text -------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text of the file, BOM removed; raise with every bad byte, tab and control char."""
    if len(data) > MAX_BYTES:
        raise AgendaError([too_large(path, len(data), data)])
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE)) or (
        data.startswith(codecs.BOM_UTF16_BE)
    ):
        raise AgendaError(
            [
                _error(
                    path,
                    SourcePos(1, 1),
                    "the file is UTF-16 or UTF-32 encoded",
                    "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
                )
            ]
        )
    byte_order = utf16_byte_order(data)
    if byte_order is not None:
        raise AgendaError(
            [
                _error(
                    path,
                    SourcePos(1, 1),
                    f"the file is UTF-16 ({byte_order}) encoded, without a byte-order mark",
                    "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
                )
            ]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AgendaError(_bad_utf8(data, path)) from None
    problems = _control_chars(text, path) + _tabs(text, path)
    if problems:
        raise AgendaError(problems)
    return text


def utf16_byte_order(data: bytes) -> str | None:
    """ "little-endian" or "big-endian" if ``data`` reads as UTF-16 text without a BOM, else
    None. An agenda is mostly ASCII (its keys, digits, indentation), which UTF-16 writes as
    the character and a NUL: a NUL in every other byte, on one side only. Checked before
    UTF-8 decoding, which would otherwise report a NUL per character or a bad byte with a
    misleading CP949 hint. A few stray NULs in a UTF-8 file are on both sides and rare."""
    sample = data[:UTF16_SAMPLE]
    if len(sample) < 4 or b"\0" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls >= 0.3 and even_nuls < 0.05:
        return "little-endian"
    if even_nuls >= 0.3 and odd_nuls < 0.05:
        return "big-endian"
    return None


def too_large(path: Path, size: int, head: bytes) -> Problem:
    """The file is over ``MAX_BYTES``: reported where the limit is crossed (``head`` holds at
    least the first ``MAX_BYTES`` bytes), so an editor jumps to where the agenda stops being
    one."""
    kept = head[:MAX_BYTES]
    line_start = kept.rfind(b"\n") + 1
    col = len(kept[line_start:].decode("utf-8", errors="replace")) + 1
    return _error(
        path,
        SourcePos(kept.count(b"\n") + 1, col),
        f"the file is {size:,} bytes; an agenda may be at most {MAX_BYTES:,}",
        "is this really an agenda? split it, or remove embedded data",
    )


def _bad_utf8(data: bytes, path: Path) -> list[Problem]:
    """The first invalid byte of each line that has one, at its line and character column."""
    problems: list[Problem] = []
    for line_number, raw_line in enumerate(data.split(b"\n"), start=1):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            col = len(raw_line[: exc.start].decode("utf-8", errors="replace")) + 1
            problems.append(
                _error(
                    path,
                    SourcePos(line_number, col),
                    f"byte 0x{raw_line[exc.start]:02x} is not valid UTF-8",
                    "save the file as UTF-8; this line looks like another encoding "
                    "(CP949/EUC-KR? Latin-1?)",
                )
            )
            if len(problems) >= MAX_REPORTED:
                break
    return problems


def _control_chars(text: str, path: Path) -> list[Problem]:
    problems = []
    for match in _CONTROL.finditer(text):
        pos = _pos_of_index(text, match.start())
        code = ord(match.group())
        what = "a NUL byte" if code == 0 else f"the control character U+{code:04X}"
        problems.append(
            _error(
                path,
                pos,
                f"the file contains {what}",
                "is this a UTF-16 or binary file? an agenda is plain UTF-8 text",
            )
        )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def _tabs(text: str, path: Path) -> list[Problem]:
    problems = []
    for match in _LEADING_TAB.finditer(text):
        pos = _pos_of_index(text, match.end() - 1)
        problems.append(
            _error(
                path,
                pos,
                f"line {pos.line} is indented with a tab",
                "YAML indents with spaces only: replace the tab with spaces",
            )
        )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def _pos_of_index(text: str, index: int) -> SourcePos:
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return SourcePos(text.count("\n", 0, index) + 1, index - line_start + 1)


# -- text to data --------------------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence while its events stream past."""

    container: dict[str, Any] | list[Any]
    path: Path_
    key: Any = None  # the pending key of a mapping
    key_mark: yaml.Mark | None = None  # None while we wait for a key
    first_seen: dict[str, yaml.Mark] = field(default_factory=dict)


class _TooDeep(Exception):
    """Raised inside the builder to stop reading a file nested beyond ``MAX_DEPTH``."""


class _Builder:
    """Turns the parser's events into plain data, collecting problems instead of raising."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root: Any = None
        self.where: dict[Path_, Located] = {}
        self.problems: list[Problem] = []
        self._stack: list[_Frame] = []
        self._documents = 0
        self._text = ""

    def run(self, text: str) -> None:
        self._text = text
        parser = _Parser(text)
        try:
            while (event := parser.get_event()) is not None:
                self._event(event)
                if type(event) is yaml.StreamEndEvent:
                    break
        except _TooDeep:
            return
        except yaml.MarkedYAMLError as exc:
            self.problems.append(self._syntax_problem(exc))
            return
        except yaml.reader.ReaderError as exc:
            pos = _pos_of_index(text, exc.position)
            self.problems.append(_error(self.path, pos, f"unreadable character: {exc.reason}"))
            return
        except RecursionError:
            self.problems.append(_error(self.path, None, "the file is nested too deeply to read"))
            return
        except Exception as exc:  # any other parser failure must be a Problem, not a traceback
            logger.exception("the YAML parser failed on %s", self.path)
            self.problems.append(_error(self.path, None, f"the YAML could not be read: {exc}"))
            return
        finally:
            parser.dispose()
        if self._documents == 0:
            self.problems.append(
                _error(
                    self.path,
                    SourcePos(1, 1),
                    "the file is empty",
                    "an agenda starts with `event:` — see docs/agenda-format.md",
                )
            )

    def _syntax_problem(self, exc: yaml.MarkedYAMLError) -> Problem:
        mark = exc.problem_mark or exc.context_mark
        pos = SourcePos(mark.line + 1, mark.column + 1) if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        context = f" ({exc.context.strip()}" if exc.context else ""
        if context and exc.context_mark and exc.context_mark is not mark:
            context += f" that began at line {exc.context_mark.line + 1}"
        context += ")" if context else ""
        hint = _syntax_hint(problem, self._line_before(mark))
        return _error(self.path, pos, f"YAML syntax error: {problem}{context}", hint)

    def _line_before(self, mark: yaml.Mark | None) -> str | None:
        """The text of the problem's line up to the problem, when known."""
        if mark is None:
            return None
        lines = self._text.splitlines()
        return lines[mark.line][: mark.column] if mark.line < len(lines) else None

    # The parser's events arrive flat; each either opens or closes a container or is a value.
    def _event(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                self._refuse_anchor_and_tag(event)
            plain = event.style in (None, "")
            self._place(None if plain and event.value in _NULL_WORDS else event.value, event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._refuse_anchor_and_tag(event)
            self._open({} if kind is yaml.MappingStartEvent else [], event)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            self._problem(
                event,
                f"alias *{event.anchor} is not allowed in an agenda",
                "write the value out in full; anchors and aliases are not supported",
            )
            self._place(None, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self._documents += 1
            if self._documents > 1:
                self._problem(
                    event,
                    "the file holds more than one YAML document (a second `---`)",
                    "an agenda is one document: remove the `---` line or split the file",
                )

    def _refuse_anchor_and_tag(self, event: yaml.NodeEvent) -> None:
        if event.anchor is not None:
            self._problem(
                event,
                f"anchor &{event.anchor} is not allowed in an agenda",
                "remove the anchor; anchors and aliases are not supported",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(
                event,
                f"explicit tag {shown} is not allowed in an agenda",
                "remove the tag: every value is read as text and checked by the agenda schema",
            )

    def _problem(self, event: yaml.Event, message: str, hint: str) -> None:
        pos = SourcePos(event.start_mark.line + 1, event.start_mark.column + 1)
        self.problems.append(_error(self.path, pos, message, hint))

    def _open(self, container: dict[str, Any] | list[Any], event: yaml.Event) -> None:
        if len(self._stack) >= MAX_DEPTH:
            self._problem(
                event,
                f"the file is nested more than {MAX_DEPTH} levels deep",
                "an agenda needs only a few levels: event, programme, group, segment, cue",
            )
            raise _TooDeep
        path = self._place(container, event)
        self._stack.append(_Frame(container, path if path is not None else ("?",)))

    def _place(self, value: Any, event: yaml.Event) -> Path_ | None:
        """Put a value where it belongs: the root, a list item, a mapping key or its value."""
        mark = event.start_mark
        if not self._stack:
            self.root = value
            self.where[()] = Located(mark, mark)
            return ()
        frame = self._stack[-1]
        container = frame.container
        if type(container) is list:
            item_path = (*frame.path, len(container))
            container.append(value)
            self.where[item_path] = Located(mark, mark)
            return item_path
        if frame.key_mark is None:
            self._take_key(frame, value, mark, event)
            return None
        key, key_mark = frame.key, frame.key_mark
        frame.key, frame.key_mark = None, None
        if key is _DISCARD:
            return None
        container[key] = value
        value_path = (*frame.path, key)
        self.where[value_path] = Located(key_mark, mark)
        return value_path

    def _take_key(self, frame: _Frame, key: Any, mark: yaml.Mark, event: yaml.Event) -> None:
        frame.key_mark = mark
        frame.key = _DISCARD
        if not isinstance(key, str):
            what = "empty" if key is None else "a list or mapping"
            self._problem(event, f"a key is {what}", "a key is a plain word such as `title:`")
            return
        first = frame.first_seen.get(key)
        if first is not None:
            self._problem(
                event,
                f"duplicate key '{key}' (first given at line {first.line + 1})",
                f"keep one `{key}:`; YAML would silently use only the last",
            )
            return
        frame.first_seen[key] = mark
        frame.key = key


def _syntax_hint(problem: str, line_before: str | None) -> str:
    """A hint for PyYAML's message. "Mapping values are not allowed" at the line's own first
    colon (``      speaker: "x"``) means the key is indented deeper than the one above it,
    whose value YAML then thinks runs on; at a later colon, that the value holds ': '."""
    if "mapping values are not allowed" in problem:
        if line_before is not None and ": " not in line_before:
            return (
                "check the indentation: this key is indented deeper than the key above it; "
                "keys of one mapping line up in the same column"
            )
        return "a value containing ': ' must be quoted, e.g. title: \"Panel: the future\""
    if "found character" in problem and "cannot start any token" in problem:
        return "quote a value that starts with a special character such as ` @ or %"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation: keys of one mapping line up in the same column"
    return "check the indentation and quoting around this position"
