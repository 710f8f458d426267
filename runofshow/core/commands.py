"""The command table: every operator command, written once.

Each row is one command: its name, the keys that press it, the menu that lists it, the
windows that show it as a button, the parameters it takes, and, for a show command, the
engine call it makes and when it applies. The MC's window, the stage manager's window, the
key overlay, the menus and buttons, the network API and OSC all read this table; adding a
command is adding a row. ``execute`` is the one path by which any of them acts on a show.

Three scopes, because not every command is the show's:

- ``SHOW``: acts on the show itself. It goes through the engine, so it is journaled before it
  takes effect, and it can come from anywhere: a key, a clicker, a menu, a button, the
  network, OSC, a second machine.
- ``APP``: this app's own business (open an agenda, mute this laptop's speakers, the stage
  manager's window, quit). Keys and menus only: nothing on the network may open files or quit
  the MC's laptop.
- ``WINDOW``: the window that has the keyboard (its full screen, the key list, the message
  box). Each window binds these to itself.
- ``PEER``: this laptop's part in a show run on several (docs/two-machines.md): "take over
  the show". Not the engine's (nothing to journal: the journal changes hands), but the
  network may run it, so that a follower that serves answers ``/api/takeover``.

Keys are written as Qt's portable key-sequence text ("PgDown", "Ctrl+Z"), which is plain
text: nothing here imports Qt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from runofshow.core.engine import Now, ShowEngine, Status


class Scope(StrEnum):
    SHOW = "show"
    APP = "app"
    WINDOW = "window"
    PEER = "peer"


MC = "mc"
STAGE_MANAGER = "stage_manager"


@dataclass(frozen=True, slots=True)
class Param:
    """One argument of a command, as the network and OSC pass it (text on the wire)."""

    name: str
    kind: type  # int, float, str or bool
    required: bool = True
    help: str = ""


Args = Mapping[str, Any]
EngineCall = Callable[[ShowEngine, Args], bool]
Refusal = Callable[[ShowEngine, Now, Args], "str | None"]


def _never(_engine: ShowEngine, _now: Now, _args: Args) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class Command:
    """One row of the table."""

    name: str
    scope: Scope
    keys: tuple[str, ...] = ()
    menu: str | None = None
    buttons: frozenset[str] = frozenset()  # windows that show it as a button
    params: tuple[Param, ...] = ()
    checkable: bool = False
    call: EngineCall | None = None  # SHOW: what it does to the show
    refusal: Refusal = _never  # SHOW: why it would do nothing now, in words (None: it applies)
    checked: Callable[[Now], bool] | None = None  # checkable SHOW rows: the state they show
    summary: str = ""  # one line for docs/remote-control.md and the API's index

    @property
    def label(self) -> str:
        """The catalogue key of the command's words (the UI translates it)."""
        return f"action.{self.name}"

    @property
    def remote(self) -> bool:
        """Whether the network API may run it: show commands, and taking over the show."""
        return self.scope in (Scope.SHOW, Scope.PEER)


# -- refusals: why a show command would change nothing now ------------------------------------


def _ended(now: Now) -> str | None:
    return "the show has ended" if now.status is Status.ENDED else None


def _not_started(now: Now) -> str | None:
    return "the show has not started" if now.status is Status.READY else None


def _refuse_start(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    if now.status is Status.RUNNING:
        return "the show is already running"
    return _ended(now)


def _refuse_pause(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return None if now.status is Status.RUNNING else "the show is not running"


def _refuse_resume(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return None if now.status is Status.PAUSED else "the show is not paused"


def _refuse_toggle(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return _ended(now)


def _refuse_next(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    if now.status is Status.READY and now.next_index is None:
        return "there is no next segment"
    return _ended(now)


def _refuse_previous(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return _ended(now) or ("this is the first segment" if now.index == 0 else None)


def _refuse_goto(engine: ShowEngine, now: Now, args: Args) -> str | None:
    index = segment_index(engine, args.get("segment"))
    if index is None:
        count = len(engine.agenda.segments)
        return f"no segment {args.get('segment')!r}: give a number from 1 to {count} or an id"
    if index == now.index:
        return f"segment {index + 1} is already the current one"
    return _ended(now)


def _refuse_timing(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return _ended(now)


def _refuse_undo(engine: ShowEngine, _now: Now, _a: Args) -> str | None:
    return None if engine.undo_target() is not None else "there is nothing to undo"


def _refuse_end(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return _ended(now) or _not_started(now)


def _refuse_roll(engine: ShowEngine, now: Now, args: Args) -> str | None:
    if not engine.rolls:
        return "this agenda has no roll mode (mode: roll on the event or a group)"
    wanted = args.get("on")
    if wanted is not None and bool(wanted) == now.rolling:
        return "the clock already starts the segments" if now.rolling else "already taken over"
    return _ended(now)


def _refuse_land(engine: ShowEngine, now: Now, args: Args) -> str | None:
    from runofshow.core.planning import PlanningError, landing_for

    if now.status is Status.ENDED:
        return "the show has ended"
    try:
        plan = landing_for(engine, args.get("at"))
    except PlanningError as exc:
        return str(exc)
    if not plan.needed:
        return "the show is projected to end on time"
    return None if plan.changes else "no segment still to come can give or take time"


def _refuse_plan(engine: ShowEngine, now: Now, args: Args) -> str | None:
    from runofshow.core.planning import PlanningError, assumed_slots

    try:
        assumed_slots(engine, str(args.get("slots", "")))
    except PlanningError as exc:
        return str(exc)
    return _ended(now)


def _refuse_clear(_e: ShowEngine, now: Now, _a: Args) -> str | None:
    return None if now.message is not None else "there is no message on stage"


def _refuse_message(_e: ShowEngine, _now: Now, args: Args) -> str | None:
    return None if one_line(str(args.get("text", ""))) else "the message is empty"


def _refuse_blackout(_e: ShowEngine, now: Now, args: Args) -> str | None:
    wanted = args.get("on")
    if wanted is not None and bool(wanted) == now.blackout:
        return "the stage display is already " + ("dark" if now.blackout else "lit")
    return None


def _refuse_acknowledge(engine: ShowEngine, now: Now, _a: Args) -> str | None:
    return None if go_index(engine, now) is not None else "no cue is at GO"


def _refuse_go(engine: ShowEngine, now: Now, _a: Args) -> str | None:
    from runofshow.core.cues import standby_index

    return None if standby_index(engine, now) is not None else "no cue is in standby"


# -- what the show commands do --------------------------------------------------------------

MAX_MESSAGE_CHARS = 80  # one line the speaker can read at a glance


def one_line(text: str) -> str:
    """Whitespace (newlines from a paste included) folded to single spaces, control
    characters (NUL, ESC, …) dropped, cut to ``MAX_MESSAGE_CHARS``: the stage display shows
    one line. A text of nothing visible (only format characters such as zero-width spaces)
    is empty: it would put an invisible message on stage."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    line = " ".join(kept.split())[:MAX_MESSAGE_CHARS]
    return line if any(unicodedata.category(ch) != "Cf" for ch in line) else ""


def segment_index(engine: ShowEngine, value: object) -> int | None:
    """A segment named by its number as people count (1 is the first) or by its id."""
    segments = engine.agenda.segments
    text = str(value).strip() if value is not None else ""
    if text.isdigit() and 1 <= int(text) <= len(segments):
        return int(text) - 1
    return next((seg.index for seg in segments if seg.id == text), None)


def go_index(engine: ShowEngine, now: Now) -> int | None:
    """The segment whose cue is at GO now (started, not yet acknowledged), if any."""
    from runofshow.core.cues import CueState, cue_status  # cues imports the engine too

    status = cue_status(engine, now)
    return status.index if status is not None and status.state is CueState.GO else None


def _go(engine: ShowEngine, _args: Args) -> bool:
    """The stage manager gives the GO: the cued segment starts now (its command fires, the
    countdown follows), whatever the one before it still has."""
    from runofshow.core.cues import standby_index

    now = engine.now()
    index = standby_index(engine, now)
    if index is None:
        return False
    if now.status is Status.READY:
        return (index == now.index or engine.goto(index)) and engine.start()
    return engine.goto(index)


def _blackout(engine: ShowEngine, args: Args) -> bool:
    wanted = args.get("on")
    return engine.set_blackout(not engine.now().blackout if wanted is None else bool(wanted))


def _acknowledge(engine: ShowEngine, _args: Args) -> bool:
    index = go_index(engine, engine.now())
    return index is not None and engine.acknowledge(index)


def _roll(engine: ShowEngine, args: Args) -> bool:
    wanted = args.get("on")
    return engine.set_rolling(not engine.now().rolling if wanted is None else bool(wanted))


def _land(engine: ShowEngine, args: Args) -> bool:
    from runofshow.core.planning import landing_for

    return engine.apply_plan(landing_for(engine, args.get("at")).slots)


def _plan(engine: ShowEngine, args: Args) -> bool:
    from runofshow.core.planning import assumed_slots

    return engine.apply_plan(assumed_slots(engine, str(args["slots"])))


def _goto(engine: ShowEngine, args: Args) -> bool:
    index = segment_index(engine, args["segment"])
    return index is not None and engine.goto(index)


def _add(seconds: float) -> EngineCall:
    return lambda engine, _args: engine.add_time(seconds)


SEGMENT = Param("segment", str, help="the segment's number (1 is the first) or its id")
SECONDS = Param("seconds", float, help="seconds to add; negative to remove")
ON = Param("on", bool, required=False, help="on or off; toggles when left out")
TEXT = Param("text", str, help=f"the line to show (at most {MAX_MESSAGE_CHARS} characters)")
FLASH = Param("flash", bool, required=False, help="flash it for a few seconds")
ROLL_ON = Param("on", bool, required=False, help="on: the clock starts segments; off: by key")
LAND_AT = Param("at", str, required=False, help="a time of day to land on; default: the plan's")
SLOTS = Param("slots", str, help="SEGMENT=LENGTH, comma-separated: pitch-2=6m, vote=+1m")
BOTH = frozenset({MC, STAGE_MANAGER})

COMMANDS: tuple[Command, ...] = (
    # The show: the clicker's keys first (PageDown/PageUp, Right/Left, B and '.').
    Command(
        "previous", Scope.SHOW, ("PgUp", "Left", "P"), "show", BOTH,
        call=lambda e, _a: e.previous(), refusal=_refuse_previous,
        summary="back to the previous segment",
    ),
    Command(
        "toggle", Scope.SHOW, ("Space",), "show", BOTH,
        call=lambda e, _a: e.toggle(), refusal=_refuse_toggle,
        summary="start the show, pause it, or resume it",
    ),
    Command(
        "next", Scope.SHOW, ("PgDown", "Right", "Return", "Enter", "N"), "show", BOTH,
        call=lambda e, _a: e.next(), refusal=_refuse_next,
        summary="the next segment (a second one within 0.5 s is a clicker bounce)",
    ),
    Command(
        "start", Scope.SHOW, ("F5",), "show",
        call=lambda e, _a: e.start(), refusal=_refuse_start,
        summary="start the show (or resume it when paused)",
    ),
    Command(
        "pause", Scope.SHOW, (), "show",
        call=lambda e, _a: e.pause(), refusal=_refuse_pause, summary="pause the show",
    ),
    Command(
        "resume", Scope.SHOW, (), "show",
        call=lambda e, _a: e.resume(), refusal=_refuse_resume, summary="resume a paused show",
    ),
    Command(
        "goto", Scope.SHOW, (), None, params=(SEGMENT,),
        call=_goto, refusal=_refuse_goto, summary="go to a segment by number or id",
    ),
    Command(
        "undo", Scope.SHOW, ("Ctrl+Z",), "show", BOTH,
        call=lambda e, _a: e.undo(), refusal=_refuse_undo,
        summary="take back the last timing action (the time that ran stays counted)",
    ),
    Command(
        "reset", Scope.SHOW, (), "show",
        call=lambda e, _a: e.reset_segment(), refusal=_refuse_timing,
        summary="restart the current segment's countdown",
    ),
    Command(
        "end", Scope.SHOW, (), "show",
        call=lambda e, _a: e.end_show(), refusal=_refuse_end, summary="end the show",
    ),
    Command(
        "roll", Scope.SHOW, ("R",), "show", params=(ROLL_ON,), checkable=True,
        call=_roll, refusal=_refuse_roll, checked=lambda now: now.rolling,
        summary="roll mode: the clock starts segments (on), or take over by key (off)",
    ),
    # Time.
    Command(
        "add", Scope.SHOW, (), None, params=(SECONDS,),
        call=lambda e, a: e.add_time(float(a["seconds"])), refusal=_refuse_timing,
        summary="add (or, negative, remove) seconds to the current segment",
    ),
    Command(
        "remove_minute", Scope.SHOW, ("-", "Num+-"), "time", BOTH,
        call=_add(-60), refusal=_refuse_timing, summary="remove a minute",
    ),
    Command(
        "add_minute", Scope.SHOW, ("+", "=", "Num++"), "time", BOTH,
        call=_add(60), refusal=_refuse_timing, summary="add a minute",
    ),
    Command(
        "add_10s", Scope.SHOW, ("Shift++", "Shift+Num++"), "time",
        call=_add(10), refusal=_refuse_timing, summary="add 10 seconds",
    ),
    Command(
        "remove_10s", Scope.SHOW, ("Shift+-", "_", "Shift+Num+-"), "time",
        call=_add(-10), refusal=_refuse_timing, summary="remove 10 seconds",
    ),
    Command(
        "land", Scope.SHOW, (), "time", params=(LAND_AT,),
        call=_land, refusal=_refuse_land,
        summary="apply the plan that lands the show on its planned end (or at a time of day)",
    ),
    Command(
        "plan", Scope.SHOW, (), None, params=(SLOTS,),
        call=_plan, refusal=_refuse_plan,
        summary="give segments new lengths (a what-if applied): one undoable action",
    ),
    # The stage.
    Command(
        "blackout", Scope.SHOW, ("B", "."), "stage", BOTH, params=(ON,), checkable=True,
        call=_blackout, refusal=_refuse_blackout, checked=lambda now: now.blackout,
        summary="black out the speaker's screen (on, off, or toggle)",
    ),
    Command(
        "message", Scope.SHOW, (), None, params=(TEXT, FLASH),
        call=lambda e, a: e.send_message(one_line(str(a["text"])), bool(a.get("flash"))),
        refusal=_refuse_message, summary="put a one-line message on the speaker's screen",
    ),
    Command(
        "clear_message", Scope.SHOW, ("Delete",), "stage", frozenset({STAGE_MANAGER}),
        call=lambda e, _a: e.clear_message(), refusal=_refuse_clear,
        summary="take the message off the speaker's screen",
    ),
    Command(
        "go", Scope.SHOW, ("G",), "stage", frozenset({STAGE_MANAGER}),
        call=_go, refusal=_refuse_go,
        summary="give the GO: the cue in standby starts its segment now",
    ),
    Command(
        "acknowledge", Scope.SHOW, ("A",), "stage", frozenset({STAGE_MANAGER}),
        call=_acknowledge, refusal=_refuse_acknowledge,
        summary="acknowledge the cue at GO (it is rolling)",
    ),
    # This laptop's part in a show of several (a follower whose primary went silent).
    Command(
        "takeover", Scope.PEER, (), "show",
        summary="take over the show: this follower, its primary silent, becomes the primary",
    ),
    # This app.
    Command("mute", Scope.APP, ("M",), "view", frozenset({MC}), checkable=True),
    Command("stage_manager", Scope.APP, ("Ctrl+2",), "stage"),
    Command("show_stage", Scope.APP, ("Ctrl+D",), "stage", checkable=True),
    Command("open", Scope.APP, ("Ctrl+O",), "file"),
    Command("new_show", Scope.APP, ("Ctrl+Shift+N",), "file"),
    Command("reload", Scope.APP, ("Ctrl+R",), "file"),
    Command("print_run_sheet", Scope.APP, ("Ctrl+P",), "file"),
    Command("allow_commands", Scope.APP, (), "show"),
    Command("network", Scope.APP, (), "view"),
    Command("quit", Scope.APP, ("Ctrl+Q",), "file"),
    # The window with the keyboard.
    Command("fullscreen", Scope.WINDOW, ("F11",), "view", checkable=True),
    Command("leave_fullscreen", Scope.WINDOW, ("Esc",), "view"),
    Command("message_box", Scope.WINDOW, ("T",), "stage"),
    Command("help", Scope.WINDOW, ("F1", "?"), "help", frozenset({MC})),
    Command("open_logs", Scope.APP, (), "help"),
)  # fmt: skip

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}


# -- running one ------------------------------------------------------------------------------


class CommandError(ValueError):
    """A command that cannot run as asked: unknown, not a show command, or bad arguments."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a show command did: applied (and journaled as ``seq``), or why not. On a
    follower a command is ``sent`` to the primary instead: it counts once the primary has
    journaled it, and the follower shows it when the action comes back."""

    command: str
    applied: bool
    reason: str | None = None
    seq: int | None = None
    args: dict[str, Any] = field(default_factory=dict)
    sent: bool = False
    # Where the primary's answer to a sent command will arrive (the shell's; opaque here).
    ticket: object = field(default=None, compare=False, repr=False)

    @property
    def taken(self) -> bool:
        """Applied here, or on its way to the primary: a window may clear what was typed."""
        return self.applied or self.sent


def parse_args(command: Command, raw: Mapping[str, object]) -> dict[str, Any]:
    """The command's arguments from text or values (a URL, an OSC message, a key's row):
    converted to each parameter's kind; ``CommandError`` names what is wrong."""
    known = {param.name for param in command.params}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CommandError(f"{command.name} takes no argument {', '.join(unknown)}")
    args: dict[str, Any] = {}
    for param in command.params:
        if param.name not in raw or raw[param.name] in (None, ""):
            if param.required:
                raise CommandError(f"{command.name} needs {param.name}: {param.help}")
            continue
        args[param.name] = _convert(param, raw[param.name])
    return args


_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"0", "false", "off", "no"}


def _convert(param: Param, value: object) -> Any:
    if param.kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise CommandError(f"{param.name} must be on or off, not {value!r}")
    if param.kind in (int, float):
        try:
            number = param.kind(str(value) if not isinstance(value, int | float) else value)
        except (TypeError, ValueError):
            raise CommandError(f"{param.name} must be a number, not {value!r}") from None
        if number != number or abs(number) > 24 * 3600:  # NaN, or more than a day
            raise CommandError(f"{param.name} must be a number of seconds within a day")
        return number
    return str(value)


def execute(
    engine: ShowEngine,
    name: str,
    raw: Mapping[str, object] | None = None,
    source: str = "unknown",
) -> Outcome:
    """Run show command ``name`` on ``engine``: the one path from any source to the show.

    The engine journals the action before it takes effect, with where it came from
    (``source``: "key", "menu", "http", "ws", "osc"); ``Outcome.seq`` is its place in the
    journal. A command that would change nothing now is not journaled and says why."""
    command = BY_NAME.get(name)
    if command is None:
        raise CommandError(f"there is no command {name!r}")
    if command.call is None:
        raise CommandError(f"{name} is not a show command")
    args = parse_args(command, raw or {})
    reason = command.refusal(engine, engine.now(), args)
    if reason is not None:
        return Outcome(name, False, reason, None, args)
    before = len(engine.actions)
    with engine.commanded_by(source):
        applied = command.call(engine, args)
    journaled = engine.actions[before:]
    seq = journaled[0].seq if applied and journaled else None
    reason = None if applied else _why_not(command, engine)
    return Outcome(name, applied, reason, seq, args)


def _why_not(command: Command, engine: ShowEngine) -> str:
    if command.name == "next":
        return "ignored as a clicker bounce (a second next within 0.5 s)"
    return f"{command.name} does not apply while the show is {engine.status.value}"


def commands_in(scope: Scope) -> tuple[Command, ...]:
    return tuple(command for command in COMMANDS if command.scope is scope)
