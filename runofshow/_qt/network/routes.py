"""From a URL (or an OSC address) to a row of the command table and its arguments.

``/api/<command>[/<arg>...]`` names any show command of ``runofshow.core.commands`` by its row
name, with its parameters in order after it or as query (or POST) fields, so a Companion
button is a plain URL: ``/api/next``, ``/api/goto/3``, ``/api/add/60``, ``/api/blackout/on``,
``/api/message?text=Wrap%20up&flash=1``. A few spellings read better on a button and are
written here once: ``remove/N`` (add −N seconds), ``blackout/toggle``, ``message/clear``,
``ack`` (acknowledge the cue at GO). Nothing else is reachable: an app or window command
(open, quit, mute…) is refused by name, and an agenda's cue ``command:`` is not a row at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from runofshow.core.commands import BY_NAME, CommandError

T = TypeVar("T")
ALIASES = {"ack": "acknowledge"}
NOT_ARGUMENTS = frozenset({"pin"})  # authentication, not a command's argument


class RouteError(CommandError):
    """No such command (404) or not one the network may run (403)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def command_call(
    name: str, positional: Sequence[str], named: Mapping[str, object]
) -> tuple[str, dict[str, object]]:
    """The command row and the raw arguments for ``/api/NAME/POSITIONAL...?NAMED``."""
    name = ALIASES.get(name, name)
    raw: dict[str, object] = {k: v for k, v in named.items() if k not in NOT_ARGUMENTS}
    positional = [p for p in positional if p != ""]
    if name == "remove":
        return "add", _negated(positional, raw)
    if name == "blackout" and positional:
        return "blackout", _blackout(positional, raw)
    if name == "message" and positional == ["clear"]:
        return "clear_message", raw
    if name == "message" and positional:
        return "message", {**raw, "text": "/".join(positional)}
    command = BY_NAME.get(name)
    if command is None:
        raise RouteError(404, f"there is no command {name!r}: GET /api/commands lists them")
    if not command.remote:
        raise RouteError(403, f"{name} is not a show command: the network may not run it")
    if len(positional) > len(command.params):
        raise RouteError(400, f"{name} takes at most {len(command.params)} argument(s) in the path")
    for param, value in zip(command.params, positional, strict=False):
        raw.setdefault(param.name, value)
    return name, raw


def _negated(positional: Sequence[str], raw: dict[str, object]) -> dict[str, object]:
    text = positional[0] if positional else raw.get("seconds")
    try:
        seconds = -float(str(text))
    except ValueError:
        raise CommandError(f"remove needs seconds as a number, not {text!r}") from None
    return {**raw, "seconds": seconds}


def _blackout(positional: Sequence[str], raw: dict[str, object]) -> dict[str, object]:
    word = positional[0].lower()
    if word == "toggle":
        return {k: v for k, v in raw.items() if k != "on"}
    return {**raw, "on": word}


def command_index() -> list[dict[str, object]]:
    """Every command the network may run, with its parameters: ``GET /api/commands``."""
    from runofshow.core.commands import COMMANDS

    return [
        {
            "name": c.name,
            "summary": c.summary,
            "url": "/api/" + "/".join([c.name, *(f"{{{p.name}}}" for p in c.params if p.required)]),
            "params": [
                {"name": p.name, "kind": p.kind.__name__, "required": p.required, "help": p.help}
                for p in c.params
            ],
        }
        for c in COMMANDS
        if c.remote
    ]


def run_for_network(host: Any, name: str, raw: dict[str, object], source: str) -> dict:
    """Run a show command for the network (``host``: the ``ShowHost``) and say what it did:
    the operator's action's own ``seq`` and ``t`` (the journal append has returned), and
    under ``also`` what the app journaled in response before answering (a video's
    ``media``). ``_status`` is the HTTP status it deserves: 200, 409 refused, 400, 503;
    ``_outcome`` the command's ``Outcome`` (``answer_for_network`` waits on it)."""
    if not host.has_show:
        reason = "no show is open (the agenda has errors)"
        if getattr(host, "following", False):  # as /api/state says it
            reason = (
                "no show yet: this laptop is joining another's show and has no copy of it"
                " (see its notice for why the primary has not answered)"
            )
        return {"_status": 503, "command": name, "applied": False, "reason": reason}
    engine = host.engine
    before = len(engine.actions)
    try:
        outcome = host.execute(name, raw, source=source)
    except CommandError as error:
        return {"_status": 400, "command": name, "applied": False, "reason": str(error),
                "error": str(error)}  # fmt: skip
    journaled = host.engine.actions[before:]
    mine = journaled[0] if outcome.applied and journaled else None
    now = host.engine.now()
    return {
        "_status": 200 if outcome.applied else 409,
        "_outcome": outcome,
        "command": name,
        "applied": outcome.applied,
        "reason": outcome.reason,
        "args": outcome.args,
        "seq": None if mine is None else mine.seq,
        "t": None if mine is None else mine.t,
        "also": [{"seq": a.seq, "name": a.name, "t": a.t} for a in journaled[1:]],
        "status": now.status.value,
        "index": now.index,
    }


class Pending(Generic[T]):
    """An answer that may not be ready yet: a command's answer waits until its action is in
    the followers' copies of the journal (a primary), or until the primary has journaled it
    (a follower, which sent it there). ``then`` runs its callback once, when it is."""

    def __init__(self) -> None:
        self._done = False
        self._value: T | None = None
        self._waiters: list[Callable[[T], None]] = []

    @property
    def done(self) -> bool:
        return self._done

    def resolve(self, value: T) -> None:
        if self._done:
            return
        self._done, self._value = True, value
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter(value)

    def then(self, callback: Callable[[T], None]) -> None:
        if self._done:
            callback(self._value)  # type: ignore[arg-type]
        else:
            self._waiters.append(callback)


def answer_for_network(
    host: Any, name: str, raw: dict[str, object], source: str
) -> Pending[dict[str, Any]]:
    """``run_for_network``, answered once the action counts for the whole show: on a primary
    with followers, once they hold it (so an acknowledged action survives the primary's
    death); on a follower, once the primary has journaled it (its answer is the primary's).
    ``host.confirmation`` (set by the show's peers, if any) says what to wait for."""
    answer = run_for_network(host, name, raw, source)
    outcome = answer.pop("_outcome", None)
    pending: Pending[dict[str, Any]] = Pending()
    confirm = getattr(host, "confirmation", None)
    wait = confirm(outcome, answer) if confirm is not None and outcome is not None else None
    if wait is None:
        pending.resolve(answer)
    else:
        wait.then(pending.resolve)
    return pending
