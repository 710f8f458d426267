"""Prefix sums of the slots a show projects with, kept up to date from what an action changed.

The engine projects a future segment's start as where the current one ends plus the slots in
between (``ShowState.slot``: the planned slot, or a video's real length, plus time added), so
it needs the sum of any run of slots. Summing 20,000 of them afresh after each action took
~4 ms of every "next". ``SlotSums`` keeps the agenda's planned sums (whole seconds, computed
once per agenda) and only the segments whose slot differs from their plan; a new folded state
is followed by comparing run records, which states share until an action changes one
(``ShowState._own``), so a "next" re-sums two slots, not 20,000.

This rests on ``ShowState.slot(i)`` depending on nothing but segment ``i`` of the agenda and
its run record; ``tests/core/test_projection.py`` checks the sums against fresh ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from runofshow.core.agenda import Agenda
from runofshow.core.fold import SegmentRun, ShowState

__all__ = ["SlotSums", "changed_indices"]

CHUNK = 256  # items compared per slice: one C-level comparison, one Python step


def changed_indices(old: Sequence[object], new: Sequence[object]) -> list[int]:
    """Positions where two equally long sequences hold items that differ (by ``==``).

    Folded states share their run records until an action changes one, so between two states
    nearly every item is the same object: slices of ``CHUNK`` are compared at C speed (an
    identical item costs a pointer comparison) and only a differing slice is looked into."""
    if old is new:
        return []
    if len(old) != len(new):
        raise ValueError("only sequences of one length can be compared item by item")
    found: list[int] = []
    for lo in range(0, len(new), CHUNK):
        hi = lo + CHUNK
        if old[lo:hi] != new[lo:hi]:
            found.extend(
                i for i in range(lo, min(hi, len(new))) if old[i] is not new[i] and old[i] != new[i]
            )
    return found


class SlotSums:
    """``sums[i]``: the slots of segments ``0..i-1`` of one folded state, added up.

    Immutable: a later state gets its own (``follow``), sharing what did not change."""

    __slots__ = ("_cumulative", "_deviations", "_indexes", "_planned", "agenda", "runs")

    def __init__(
        self,
        agenda: Agenda,
        runs: list[SegmentRun],
        planned: list[int],
        deviations: dict[int, float],
    ) -> None:
        self.agenda = agenda
        self.runs = runs  # the state's records (never changed in place once folded)
        self._planned = planned  # planned[i]: planned slots of segments before i
        self._deviations = deviations  # slot minus planned slot, where not zero
        self._indexes = sorted(deviations)
        self._cumulative = list(accumulate(deviations[i] for i in self._indexes))

    @classmethod
    def of(cls, state: ShowState) -> SlotSums:
        """Every slot of ``state`` summed afresh (a new agenda, or the first look)."""
        durations = [segment.duration_s for segment in state.agenda.segments]
        planned = [0, *accumulate(durations)]
        deviations = {}
        for i, duration in enumerate(durations):
            slot = state.slot(i)
            if slot != duration:
                deviations[i] = slot - duration
        return cls(state.agenda, state.runs, planned, deviations)

    def follow(self, state: ShowState) -> SlotSums:
        """The sums of ``state``, a later fold of the same show: only the slots of records
        that changed are looked at again."""
        if state.runs is self.runs:
            return self
        if state.agenda is not self.agenda or len(state.runs) != len(self.runs):
            return SlotSums.of(state)
        deviations = self._deviations
        for i in changed_indices(self.runs, state.runs):
            deviation = state.slot(i) - state.agenda.segments[i].duration_s
            if deviation != deviations.get(i, 0.0):
                if deviations is self._deviations:
                    deviations = dict(deviations)
                if deviation:
                    deviations[i] = deviation
                else:
                    del deviations[i]
        return SlotSums(self.agenda, state.runs, self._planned, deviations)

    def __len__(self) -> int:
        return len(self._planned)

    def __getitem__(self, index: int) -> float:
        """Sum of the slots of segments before ``index`` (0 <= index <= number of segments)."""
        k = bisect_left(self._indexes, index)
        return self._planned[index] + (self._cumulative[k - 1] if k else 0.0)

    def changed_since(self, old: SlotSums) -> list[int]:
        """Segments whose slot differs from ``old``'s (same agenda), in order."""
        if old._deviations is self._deviations:
            return []
        a, b = old._deviations, self._deviations
        return sorted(i for i in a.keys() | b.keys() if a.get(i, 0.0) != b.get(i, 0.0))
