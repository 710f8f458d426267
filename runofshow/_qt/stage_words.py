"""The stage manager's, the confidence display's and the stage messages' words, in Korean and
English, looked up in the language of the shared ``Translator``.

They live beside the MC window's catalogue (``runofshow._qt.i18n.CATALOGUE``) rather than in
it so that two people could build the two windows at once; the keys do not overlap, and a test
checks that both languages have every key. Kind and phase words come from the shared catalogue.
"""

from __future__ import annotations

from runofshow._qt.i18n import Translator

WORDS: dict[str, dict[str, str]] = {
    "window.stage_manager": {"en": "Stage manager — {title}", "ko": "무대 감독 — {title}"},
    "window.confidence": {"en": "Stage display", "ko": "무대 화면"},
    # Running-order columns.
    "col.number": {"en": "#", "ko": "#"},
    "col.planned": {"en": "Planned", "ko": "계획"},
    "col.projected": {"en": "Projected", "ko": "예상"},
    "col.start": {"en": "Started", "ko": "시작"},
    "col.end": {"en": "Ended", "ko": "종료"},
    "col.length": {"en": "Slot / limit", "ko": "배정 / 제한"},
    "col.over": {"en": "Over", "ko": "초과"},
    "col.kind": {"en": "Kind", "ko": "종류"},
    "col.title": {"en": "Title", "ko": "제목"},
    "col.speaker": {"en": "Speaker", "ko": "발표자"},
    "col.cue": {"en": "Cue / notes", "ko": "큐 / 메모"},
    "group.header": {
        "en": "{title}   ·   ends {projected} (plan {planned})",
        "ko": "{title}   ·   종료 예상 {projected} (계획 {planned})",
    },
    # The cue banner.
    "cue.none": {"en": "No cue in standby", "ko": "대기 중인 큐 없음"},
    "cue.standby": {"en": "STANDBY — {kind} in {t}", "ko": "스탠바이 — {kind} {t} 전"},
    "cue.go": {"en": "GO — {kind}", "ko": "GO — {kind}"},
    "cue.on_stage": {"en": "ON STAGE — {kind}", "ko": "진행 중 — {kind}"},
    "cue.ack_hint": {"en": "press A to acknowledge", "ko": "A 키로 확인"},
    "cue.running": {"en": "Cue command running: {cmd}", "ko": "큐 명령 실행 중: {cmd}"},
    "cue.ok": {"en": "Cue command done: {cmd}", "ko": "큐 명령 완료: {cmd}"},
    "cue.failed": {
        "en": "CUE COMMAND FAILED (exit {code}): {cmd}",
        "ko": "큐 명령 실패 (종료 코드 {code}): {cmd}",
    },
    "cue.not_found": {
        "en": "CUE COMMAND NOT FOUND: {cmd}",
        "ko": "큐 명령을 찾을 수 없음: {cmd}",
    },
    "cue.timeout": {
        "en": "CUE COMMAND TIMED OUT after {t} s and was stopped: {cmd}",
        "ko": "큐 명령 시간 초과 ({t}초), 중지함: {cmd}",
    },
    "cue.crashed": {"en": "CUE COMMAND CRASHED: {cmd}", "ko": "큐 명령 비정상 종료: {cmd}"},
    # Messages to the stage.
    "msg.placeholder": {
        "en": "Message to the stage, Enter to send",
        "ko": "무대에 보낼 메시지 (Enter로 보내기)",
    },
    "msg.send": {"en": "Send", "ko": "보내기"},
    "msg.flash": {"en": "Flash", "ko": "깜박임"},
    "msg.on_stage": {"en": "On stage: {text}", "ko": "무대 표시 중: {text}"},
    "msg.none": {"en": "No message on stage", "ko": "무대 메시지 없음"},
    "preset.wrap_up": {"en": "WRAP UP", "ko": "마무리 부탁드립니다"},
    "preset.one_minute": {"en": "ONE MINUTE", "ko": "1분 남았습니다"},
    "preset.mic_check": {"en": "Mic check", "ko": "마이크 확인"},
    "preset.louder": {"en": "Louder, please", "ko": "조금 더 크게 말씀해 주세요"},
    "preset.next_speaker": {"en": "Next: {speaker}", "ko": "다음: {speaker}"},
    "preset.end_of_show": {"en": "Last segment", "ko": "마지막 순서입니다"},
    # The confidence display's screen.
    "stage.on_screen": {"en": "Stage display on screen {n}", "ko": "무대 화면: {n}번 화면"},
    "stage.moved": {
        "en": "Stage display moved to screen {n}",
        "ko": "무대 화면이 {n}번 화면으로 옮겨졌습니다",
    },
    "stage.hidden": {
        "en": "Stage display hidden: its screen is gone",
        "ko": "무대 화면 숨김: 화면 연결이 끊겼습니다",
    },
    "stage.closed": {"en": "Stage display off", "ko": "무대 화면 꺼짐"},
    "stage.screen_item": {
        "en": "Screen {n}: {name} ({w}×{h})",
        "ko": "{n}번 화면: {name} ({w}×{h})",
    },
    "menu.stage": {"en": "S&tage", "ko": "무대(&T)"},
    "menu.stage_screen": {"en": "Stage display screen", "ko": "무대 화면 위치"},
    "action.show_stage": {"en": "Show stage display", "ko": "무대 화면 표시"},
    "action.stage_manager": {"en": "Stage manager window", "ko": "무대 감독 창"},
    "action.acknowledge": {"en": "Acknowledge GO", "ko": "GO 확인"},
    "action.clear_message": {"en": "Clear stage message", "ko": "무대 메시지 지우기"},
    "action.message_box": {"en": "Type a stage message", "ko": "무대 메시지 입력"},
}


def words(tr: Translator, key: str, **values: object) -> str:
    """``key`` in the translator's language, filled in with ``values``."""
    text = WORDS[key][tr.lang]
    return text.format(**values) if values else text
