"""Agendas and problems as JSON: an exact round trip, and a stored entry is data, never code.

The agenda cache (in the state folder, which others may write to) and the isolated loader's
answer both go through ``agenda_codec``. Whatever a file there holds (a planted pickle,
garbage, an agenda with values the engine cannot take) is ignored and logged, never run.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import MUST_LOAD, hostile_cases
from hypothesis import HealthCheck, given, settings
from test_torture_agendas import extreme_agendas, to_yaml

from runofshow.core import agenda_codec
from runofshow.core.agenda_cache import AgendaCache
from runofshow.core.agenda_codec import (
    CodecError,
    decode_agenda,
    decode_answer,
    encode_agenda,
    encode_answer,
)
from runofshow.core.loader import load_agenda, load_agenda_bytes
from runofshow.core.problems import AgendaError
from runofshow.resources import agendas_dir, default_agenda

CORPUS = Path(__file__).parent / "corpus"
FULL = """\
event:
  title: 전부 "quoted" \\ back
  subtitle: Every field set
  date: 2999-12-31
  venue: Hall ①
  start: 0:00
  end: 23:59:59
  timezone: Pacific/Kiritimati
defaults:
  wrapup: 0s
  danger: 0s
  end_action: advance
  sounds: off
  standby: 24h
programme:
  - id: first.one
    title: "🎤 Keynote"
    subtitle: Sub
    speaker: Speaker
    kind: video
    duration: 23:00:00
    limit: 24h
    wrapup: 1h
    danger: 59m
    end_action: hold
    sounds: yes
    notes: |
      two
      lines
    cue:
      text: Roll it
      standby: 0s
      command: 'vlc "my clip.mp4" --fullscreen'
      timeout: 24h
    video: media/clip.mp4
  - group: Group
    subtitle: G
    target: 1h
    segments:
      - title: Last
        start: "23:00"
        duration: 1h
"""


def full_agenda(folder: Path):
    return load_agenda_bytes(FULL.encode(), folder / "full.yaml")


def round_trip(agenda):
    decoded = decode_agenda(encode_agenda(agenda))
    assert decoded == agenda
    assert type(decoded.segments) is tuple and type(decoded.segments[0].kind) is type(
        agenda.segments[0].kind
    )
    return decoded


def test_every_bundled_agenda_round_trips_exactly():
    bundled = sorted(agendas_dir().glob("*.yaml"))
    assert bundled
    for path in bundled:
        round_trip(load_agenda(path))


def test_every_field_round_trips_exactly(tmp_path):
    """Enums, dates, paths, tuples (the cue's command), None, unicode, the positions."""
    agenda = full_agenda(tmp_path)
    decoded = round_trip(agenda)
    assert decoded.segments[0].cue is not None
    assert decoded.segments[0].cue.command == ("vlc", "my clip.mp4", "--fullscreen")
    assert decoded.segments[0].video == tmp_path.resolve() / "media" / "clip.mp4"


def test_a_path_that_is_not_utf8_round_trips(tmp_path):
    """Linux file names are bytes: one that is not UTF-8 still names the same file."""
    odd = tmp_path / "caf\udce9"  # b"caf\xe9" as Python spells it
    agenda = load_agenda_bytes(default_agenda().read_bytes(), odd / "show.yaml")
    assert round_trip(agenda).path == odd / "show.yaml"


def test_the_corpus_round_trips_as_agendas_or_as_problems(tmp_path):
    """Every corpus and hostile file: its agenda, or its problems with their positions and
    hints and the count found, come back equal through the isolated loader's answer."""
    for case in hostile_cases(tmp_path / "hostile"):
        try:
            expected = load_agenda(case.path)
        except AgendaError as error:
            answer = decode_answer(encode_answer(error))
            assert isinstance(answer, AgendaError), case.name
            assert (answer.problems, answer.found) == (error.problems, error.found), case.name
        else:
            assert case.name in MUST_LOAD
            assert decode_answer(encode_answer(expected)) == expected


def test_a_capped_problem_list_keeps_its_count():
    """The child lists 100 problems and the count of the rest; the parent shows the same."""
    text = default_agenda().read_text(encoding="utf-8") + "".join(
        f"  - title: S{i}\n    duration: 5 mins\n" for i in range(300)
    )
    with pytest.raises(AgendaError) as caught:
        load_agenda_bytes(text.encode(), Path("big.yaml"))
    answer = decode_answer(encode_answer(caught.value))
    assert isinstance(answer, AgendaError)
    assert (len(answer.problems), answer.found) == (101, 300)
    assert answer.problems == caught.value.problems


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extreme_agendas())
def test_drawn_agendas_round_trip(agenda_data):
    try:
        agenda = load_agenda_bytes(to_yaml(agenda_data).encode(), Path("/shows/drawn.yaml"))
    except AgendaError:
        return
    round_trip(agenda)


# -- what a stored entry may not do -----------------------------------------------------------


class Planted:
    """Unpickling this runs ``exec``: what a planted pickle in the state folder could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_a_planted_pickle_in_the_cache_never_runs(tmp_path, caplog):
    """A pickle under the entry's name (old .pickle or new .json) is ignored, logged and
    replaced; the code it carries never runs."""
    show = tmp_path / "show.yaml"
    show.write_bytes(default_agenda().read_bytes())
    cache = AgendaCache(tmp_path / "cache")
    cache.load(show)
    (entry,) = (tmp_path / "cache").iterdir()
    marker = tmp_path / "ran"
    planted = pickle.dumps(Planted(marker))
    for name in (entry.with_suffix(".json"), entry.with_suffix(".pickle")):
        name.write_bytes(planted)
    assert cache.load(show) == load_agenda(show)
    assert not marker.exists()
    assert "ignoring agenda cache entry" in caplog.text


def _document(agenda) -> dict:
    return json.loads(encode_agenda(agenda))


def _tamper(document: dict, change) -> bytes:
    change(document)
    return json.dumps(document).encode()


TAMPERINGS = {
    "not JSON": lambda d: None,
    "another format": lambda d: d.update(format="pickle"),
    "another version": lambda d: d.update(version=2),
    "other fields": lambda d: d["fields"]["Segment"].append("detach"),
    "a title that is a number": lambda d: d["agenda"][3][0].__setitem__(2, 5),
    "a slot that is true": lambda d: d["agenda"][3][0].__setitem__(3, True),
    "a slot of 10**20 s": lambda d: d["agenda"][3][0].__setitem__(3, 10**20),
    "a slot of 1.5 s": lambda d: d["agenda"][3][0].__setitem__(3, 1.5),
    "a negative threshold": lambda d: d["agenda"][3][0].__setitem__(9, -1),
    "year 1": lambda d: d["agenda"][1].__setitem__(1, "0001-01-01"),
    "not a date": lambda d: d["agenda"][1].__setitem__(1, "2022-02-30"),
    "an unknown kind": lambda d: d["agenda"][3][0].__setitem__(4, "rocket"),
    "a field missing": lambda d: d["agenda"][3][0].pop(),
    "no segments": lambda d: d["agenda"].__setitem__(3, []),
    "a group past the end": lambda d: d["agenda"][4][0].__setitem__(3, 99),
    "a dict for a list": lambda d: d["agenda"].__setitem__(3, {"0": 1}),
    "a day and a half": lambda d: [s.__setitem__(3, 86_400) for s in d["agenda"][3]],
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_an_entry_that_is_not_a_sound_agenda_is_refused(tampering):
    """Wrong types, values past the bounds the engine relies on, another build's layout:
    each is a CodecError, never an Agenda the engine would choke on."""
    agenda = load_agenda(default_agenda())
    document = _document(agenda)
    data = b"{not json" if tampering == "not JSON" else _tamper(document, TAMPERINGS[tampering])
    with pytest.raises(CodecError):
        decode_agenda(data)


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b'{"format": NaN}', b"null"]
)
def test_garbage_is_a_codec_error(data):
    with pytest.raises(CodecError):
        decode_agenda(data)


def test_a_tampered_entry_is_ignored_and_logged_by_the_cache(tmp_path, caplog):
    show = tmp_path / "show.yaml"
    show.write_bytes(default_agenda().read_bytes())
    cache = AgendaCache(tmp_path / "cache")
    cache.load(show)
    (entry,) = (tmp_path / "cache").glob("*.json")
    document = json.loads(entry.read_bytes())
    entry.write_bytes(_tamper(document, TAMPERINGS["a slot of 10**20 s"]))
    assert cache.load(show).segments[0].duration_s == 300
    assert "a slot is out of range" in caplog.text


def test_an_unknown_field_type_is_refused_loudly():
    """A dataclass field of a type the codec does not know is an error when the codec is
    built, not a silently dropped value."""
    with pytest.raises(TypeError, match="cannot carry"):
        agenda_codec._value_decoder("set[int]")
    with pytest.raises(TypeError, match="cannot carry"):
        agenda_codec._value_encoder("int | str")


def test_decoding_a_cached_agenda_imports_neither_yaml_nor_pydantic(tmp_path):
    """The cache exists to keep PyYAML and pydantic out of the window: a hit decodes JSON."""
    show = tmp_path / "show.yaml"
    show.write_bytes(default_agenda().read_bytes())
    AgendaCache(tmp_path / "cache").load(show)
    code = (
        "import sys; from pathlib import Path\n"
        "from runofshow.core.agenda_cache import AgendaCache\n"
        f"agenda = AgendaCache(Path({str(tmp_path / 'cache')!r})).load(Path({str(show)!r}))\n"
        "assert len(agenda.segments) == 14\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'pydantic', "
        "'pickle')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
