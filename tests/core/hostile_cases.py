"""Hostile agenda files for the torture tests: the broken corpus plus files built to hurt a
parser (alias bombs, 50 MB, 10,000-deep nesting, NUL bytes, UTF-16, tabs, Python tags, a list
as a key, 100,000 segments, 5,000 errors), values that once passed and then crashed the show
(a slot of 10**20 s, year 9999) and three that must load (CRLF, BOM + CRLF, lone CR).

``hostile_cases(folder)`` writes the generated ones into ``folder`` and returns every case
with what must happen to it. Shared by tests/core/test_torture_agendas.py (``runofshow
check``), tests/qt/test_torture_window.py (the window's open and reload) and the soak script.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
SEED = Path(__file__).parents[2] / "agendas" / "innovation-relay-2022.yaml"

HEAD = "event:\n  title: Hostile\n  date: 2022-11-30\n  start: 15:00\n  end: 16:00\nprogramme:\n"


@dataclass(frozen=True)
class Case:
    """One agenda file and whether it must load (else: refused with positioned errors)."""

    name: str
    path: Path
    loads: bool = False


def _segments(count: int) -> str:
    return "".join(f"  - title: S{i}\n    duration: 1m\n" for i in range(count))


def _generated() -> dict[str, bytes | str]:
    seed = SEED.read_text(encoding="utf-8")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    rng = random.Random(7)
    return {
        "alias-bomb.yaml": bomb,
        "self-alias.yaml": "a: &a [*a]\n",
        "self-alias-merge.yaml": "a: &a\n  <<: *a\n",
        "fifty-megabytes.yaml": HEAD + "  - title: big\n    duration: 1m\n" + "#" * 50_000_000,
        "deep-flow-10000.yaml": "event: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "deep-block-10000.yaml": "event:\n  " + "- " * 10_000 + "x\n",
        "nul-bytes.yaml": seed.encode()[:200] + b"\x00" * 1000 + seed.encode()[200:],
        "utf16-bom.yaml": seed.encode("utf-16"),
        "utf16-no-bom.yaml": seed.encode("utf-16-le"),
        "utf32.yaml": seed.encode("utf-32"),
        "windows-line-endings.yaml": seed.replace("\n", "\r\n").encode(),
        "bom-and-crlf.yaml": b"\xef\xbb\xbf" + seed.replace("\n", "\r\n").encode(),
        "mixed-tabs.yaml": seed.replace("\n    duration", "\n \t  duration", 3),
        "python-object.yaml": HEAD + "  - title: !!python/object:os.system x\n    duration: 1m\n",
        "python-apply.yaml": "!!python/object/apply:os.system [echo hi]\n",
        "list-as-key.yaml": HEAD + "  - ? [a, b]\n    : 1m\n",
        "mapping-as-key.yaml": "? {event: x}\n: y\n",
        "hundred-thousand-segments.yaml": HEAD + _segments(100_000),
        "random-bytes.yaml": bytes(rng.randrange(256) for _ in range(4096)),
        "lone-cr-line-endings.yaml": seed.replace("\n", "\r").encode(),
        "only-a-bom.yaml": b"\xef\xbb\xbf",
        "huge-integer.yaml": HEAD + "  - title: x\n    duration: " + "9" * 5000 + "s\n",
        # accepted once, then crashed the show or misled the MC
        "duration-10e20-seconds.yaml": HEAD
        + "  - title: x\n    duration: 100000000000000000000s\n",
        "duration-99999-hours.yaml": HEAD + "  - title: x\n    duration: 99999h\n",
        "programme-over-a-day.yaml": HEAD + "  - title: x\n    duration: 24h\n" * 2,
        "year-1.yaml": HEAD.replace("2022-11-30", "0001-01-01") + _segments(1),
        "year-9999.yaml": HEAD.replace("2022-11-30", "9999-12-31") + _segments(1),
        "title-block-scalar.yaml": HEAD
        + "  - title: |\n      two\n      lines\n    duration: 1m\n",
        "title-null.yaml": HEAD + "  - title: null\n    duration: 1m\n",
        "group-titled-with-title.yaml": HEAD
        + "  - title: G\n    segments:\n      - title: S\n        duration: 1m\n",
        "utf16-be-no-bom.yaml": seed.encode("utf-16-be"),
        # the window opens and reloads each case within 2 s, through a child process each
        # time; test_agenda_input.py times 20,000 errors in-process
        "five-thousand-errors.yaml": HEAD
        + "".join(f"  - title: S{i}\n    duration: 5 mins\n" for i in range(5_000)),
    }


# Line endings are the editor's business, not the MC's: Windows (CRLF), with a UTF-8 BOM, and
# old Mac (lone CR, a YAML line break too) all load.
MUST_LOAD = {"windows-line-endings.yaml", "bom-and-crlf.yaml", "lone-cr-line-endings.yaml"}


def hostile_cases(folder: Path) -> list[Case]:
    """Every case: the corpus as it is, the generated ones written into ``folder``."""
    cases = [Case(p.name, p) for p in sorted(CORPUS.iterdir()) if p.is_file()]
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in _generated().items():
        target = folder / name
        if not target.exists():
            data = content.encode() if isinstance(content, str) else content
            target.write_bytes(data)
        cases.append(Case(name, target, loads=name in MUST_LOAD))
    return cases
