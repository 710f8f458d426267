"""What the stage shows besides the time: blackout, the message, the acknowledged GO.

They are journaled like every operator action (a restart, the report and a second machine
see them), folded from the journal like the rest of the show, and never taken back by an
undo, which is the MC's "take back that key" for the timing.
"""

from __future__ import annotations

from runofshow.core import actions as act
from runofshow.core.actions import MemoryJournal
from runofshow.core.agenda import Agenda
from runofshow.core.clock import FakeClock
from runofshow.core.engine import ShowEngine


def test_blackout_and_message_are_journaled_and_folded(seed_like: Agenda, clock: FakeClock):
    """A restart on the same journal shows the same blackout and message."""
    journal = MemoryJournal()
    engine = ShowEngine(seed_like, clock, journal)
    assert engine.set_blackout(True)
    assert not engine.set_blackout(True)  # already dark: nothing journaled
    assert engine.send_message("마이크 확인", flash=True)
    names = [a.name for a in journal.actions()]
    assert names == [act.BLACKOUT, act.MESSAGE]
    resumed = ShowEngine(seed_like, clock, journal).now()
    assert resumed.blackout
    assert resumed.message is not None
    assert (resumed.message.text, resumed.message.flash) == ("마이크 확인", True)


def test_the_same_words_again_are_a_new_message(seed_like: Agenda, clock: FakeClock):
    """Sending the same line twice is two messages (the second flashes again); clearing
    with nothing on stage changes nothing."""
    engine = ShowEngine(seed_like, clock)
    assert not engine.clear_message()
    engine.send_message("1분 남았습니다")
    first = engine.now().message
    engine.send_message("1분 남았습니다")
    second = engine.now().message
    assert first is not None and second is not None and first.seq != second.seq
    assert engine.clear_message() and engine.now().message is None


def test_undo_takes_back_the_timing_key_not_the_stage(seed_like: Agenda, clock: FakeClock):
    """A stray "next", then the stage manager's message and a blackout: Ctrl+Z takes back
    the "next" (what the MC meant), and the message and the blackout stay."""
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(30)
    engine.next()
    engine.send_message("Louder, please")
    engine.set_blackout(True)
    assert engine.undo_target() is not None and engine.undo_target().name == act.NEXT
    assert engine.undo()
    now = engine.now()
    assert now.index == 0 and now.blackout and now.message is not None


def test_with_only_stage_actions_there_is_nothing_to_undo(seed_like: Agenda, clock: FakeClock):
    engine = ShowEngine(seed_like, clock)
    engine.set_blackout(True)
    engine.send_message("hello")
    assert engine.undo_target() is None
    assert not engine.undo()


def test_blackout_and_messages_work_after_the_show_ended(seed_like: Agenda, clock: FakeClock):
    """The show is over and the room is still there: the stage can still go dark or read
    "Thank you"."""
    engine = ShowEngine(seed_like, clock)
    engine.start()
    engine.end_show()
    assert engine.send_message("감사합니다") and engine.set_blackout(True)


def test_an_acknowledged_go_stays_acknowledged_while_its_segment_is_on(
    seed_like: Agenda, clock: FakeClock
):
    """Acknowledged at GO (segment 2 started): a pause and added time keep it, moving on
    forgets it (coming back to segment 2 is a new GO)."""
    engine = ShowEngine(seed_like, clock)
    engine.start()
    clock.advance(30)
    engine.next()
    assert engine.acknowledge(1)
    assert engine.now().acknowledged == 1
    engine.pause()
    engine.resume()
    engine.add_time(60)
    assert engine.now().acknowledged == 1
    clock.advance(1)
    engine.next()
    assert engine.now().acknowledged is None
