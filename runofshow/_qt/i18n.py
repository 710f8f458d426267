"""The UI's words in Korean and English: a plain dict catalogue, picked once at start-up.

A Korean system gets Korean (``QLocale``), any other gets English; ``--lang`` and the menu
override it and the choice is remembered. Keeping every string in one table makes it easy to see
that both languages say the same thing, and lets a test check that no key is missing.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

LANGUAGES = ("ko", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    # Phase words under the countdown: readable without colour.
    "phase.ready": {"en": "READY", "ko": "대기"},
    "phase.normal": {"en": "", "ko": ""},
    "phase.wrapup": {"en": "WRAP UP", "ko": "마무리"},
    "phase.danger": {"en": "TIME", "ko": "시간 임박"},
    "phase.overtime": {"en": "{over} OVER", "ko": "{over} 초과"},
    "phase.paused": {"en": "PAUSED", "ko": "일시정지"},
    "phase.ended": {"en": "SHOW ENDED", "ko": "행사 종료"},
    "phase.starts_in": {"en": "STARTS IN {t}", "ko": "{t} 후 시작"},
    # Information lines.
    "next": {"en": "NEXT:", "ko": "다음:"},
    "next.none": {"en": "NEXT: end of show", "ko": "다음: 행사 종료"},
    "next.at": {"en": "at {time}", "ko": "{time} 시작"},
    "drift.behind": {"en": "{t} behind", "ko": "{t} 늦음"},
    "drift.ahead": {"en": "{t} ahead", "ko": "{t} 빠름"},
    "drift.on_time": {"en": "on time", "ko": "정시"},
    "end.projected": {
        "en": "End {projected} (plan {planned})",
        "ko": "종료 예상 {projected} (계획 {planned})",
    },
    "over_limit": {
        "en": "{title}: {over} over its {limit} limit",
        "ko": "{title}: 제한 {limit}에서 {over} 초과",
    },
    "over_limit.removed": {
        "en": "{title}: {over} over (all its time was taken away)",
        "ko": "{title}: {over} 초과 (남은 시간을 모두 뺐습니다)",
    },
    "ended.against_plan": {
        "en": "The show is over: planned end {planned}, {drift}",
        "ko": "행사가 끝났습니다: 계획 종료 {planned}, {drift}",
    },
    "ended.at": {"en": "Ended at {time}", "ko": "{time}에 종료"},
    "segment.of": {"en": "{n} of {total}", "ko": "{n} / {total}"},
    "limit": {"en": "limit {limit}", "ko": "제한 {limit}"},
    "running_order": {"en": "Running order", "ko": "진행 순서"},
    # Badges.
    "notice.clock_jump": {
        "en": "The computer's clock changed by {delta}: the countdown is unaffected; time of day"
        " and drift now follow the new clock",
        "ko": "컴퓨터 시계가 {delta} 바뀌었습니다: 카운트다운은 그대로이며, 현재 시각과 진행"
        " 차이는 새 시계를 따릅니다",
    },
    "notice.journal_failed": {
        "en": "NOT SAVED: {reason}. The show keeps timing in memory",
        "ko": "저장 안 됨: {reason}. 타이머는 메모리에서 계속 진행됩니다",
    },
    "notice.resumed": {
        "en": "Resumed the show at segment {segment} (last action {last})",
        "ko": "{segment}번 순서에서 행사를 이어 갑니다 (마지막 조작 {last})",
    },
    "notice.resumed_changed": {
        "en": "Resumed the show at segment {segment} (last action {last}); the agenda file"
        " changed since it was recorded",
        "ko": "{segment}번 순서에서 행사를 이어 갑니다 (마지막 조작 {last}); 기록 이후 진행표"
        " 파일이 바뀌었습니다",
    },
    "notice.not_saved": {
        "en": "NOT SAVED: the show cannot be written to {folder} ({reason}); timing in memory only",
        "ko": "저장 안 됨: {folder}에 기록할 수 없습니다 ({reason}). 타이머는 메모리에서만"
        " 진행됩니다",
    },
    "notice.journal_set_aside": {
        "en": "{detail}",
        "ko": "손상된 기록 파일을 따로 보관하고 새로 시작했습니다: {detail}",
    },
    "notice.end_not_saved": {
        "en": "Could not record the end of the show: {reason}",
        "ko": "행사 종료를 기록하지 못했습니다: {reason}",
    },
    "action.new_show": {"en": "New show (start over)", "ko": "새 행사 시작 (처음부터)"},
    "new_show.text": {
        "en": "Start a fresh show from the first segment? The current one stays in the journal.",
        "ko": "첫 순서부터 새로 시작할까요? 현재 행사는 기록에 남습니다.",
    },
    "badge.no_sound": {"en": "NO SOUND", "ko": "소리 없음"},
    "badge.muted": {"en": "MUTED", "ko": "음소거"},
    "badge.blackout": {"en": "STAGE BLACKOUT", "ko": "무대 화면 끔"},
    "badge.rehearsal": {"en": "REHEARSAL ×{speed}", "ko": "리허설 ×{speed}"},
    "badge.rolling": {"en": "ROLL", "ko": "자동 진행"},
    "badge.roll_taken": {
        "en": "ROLL TAKEN OVER (R gives it back)",
        "ko": "수동 진행 (R: 자동 진행으로)",
    },
    # Menus.
    "menu.file": {"en": "&File", "ko": "파일(&F)"},
    "menu.show": {"en": "&Show", "ko": "진행(&S)"},
    "menu.time": {"en": "&Time", "ko": "시간(&T)"},
    "menu.view": {"en": "&View", "ko": "보기(&V)"},
    "menu.language": {"en": "&Language", "ko": "언어(&L)"},
    "menu.help": {"en": "&Help", "ko": "도움말(&H)"},
    # Actions.
    "action.next": {"en": "Next", "ko": "다음"},
    "action.previous": {"en": "Previous", "ko": "이전"},
    "action.toggle": {"en": "Start / pause / resume", "ko": "시작 / 일시정지 / 재개"},
    "action.start": {"en": "Start", "ko": "시작"},
    "action.add_minute": {"en": "Add a minute", "ko": "1분 추가"},
    "action.remove_minute": {"en": "Remove a minute", "ko": "1분 빼기"},
    "action.add_10s": {"en": "Add 10 seconds", "ko": "10초 추가"},
    "action.remove_10s": {"en": "Remove 10 seconds", "ko": "10초 빼기"},
    "action.undo": {"en": "Undo", "ko": "실행 취소"},
    "action.blackout": {"en": "Blackout stage display", "ko": "무대 화면 끄기"},
    "action.mute": {"en": "Mute", "ko": "음소거"},
    "action.fullscreen": {"en": "Full screen", "ko": "전체 화면"},
    "action.leave_fullscreen": {"en": "Leave full screen", "ko": "전체 화면 나가기"},
    "action.open": {"en": "Open agenda…", "ko": "진행표 열기…"},
    "action.reload": {"en": "Reload agenda", "ko": "진행표 다시 읽기"},
    "action.print_run_sheet": {"en": "Print run sheet…", "ko": "진행표 인쇄…"},
    "action.help": {"en": "Keys", "ko": "단축키"},
    "action.quit": {"en": "Quit", "ko": "종료"},
    "action.open_logs": {"en": "Open log folder", "ko": "기록(로그) 폴더 열기"},
    "action.pause": {"en": "Pause", "ko": "일시정지"},
    "action.resume": {"en": "Resume", "ko": "재개"},
    "action.reset": {"en": "Restart this segment", "ko": "이 순서 다시 시작"},
    "action.end": {"en": "End the show", "ko": "행사 종료"},
    "action.goto": {"en": "Go to segment", "ko": "순서로 이동"},
    "action.add": {"en": "Add time", "ko": "시간 추가"},
    "action.message": {"en": "Message to the stage", "ko": "무대 메시지"},
    # Dialogs and pages.
    "help.title": {"en": "Keys", "ko": "단축키"},
    "help.close": {"en": "Press F1, ? or Esc to close", "ko": "F1, ? 또는 Esc를 누르면 닫힙니다"},
    "quit.title": {"en": "Quit runofshow?", "ko": "runofshow를 종료할까요?"},
    "quit.text": {
        "en": "The show is live. Quit anyway? "
        "The show keeps its time and resumes when you start again.",
        "ko": "행사가 진행 중입니다. 그래도 종료할까요? 다시 시작하면 시간 그대로 이어집니다.",
    },
    "notice.commands_waiting": {
        "en": "This agenda runs {count} cue command(s) nobody has allowed yet: none will run"
        " until allowed (Show ▸ Allow cue commands…)",
        "ko": "이 진행표의 큐 명령 {count}개가 아직 허용되지 않았습니다. 허용하기 전에는 실행되지"
        " 않습니다 (진행 ▸ 큐 명령 허용…)",
    },
    "rehearsal.resume_title": {"en": "Resume the rehearsal?", "ko": "리허설을 이어서 할까요?"},
    "rehearsal.resume": {
        "en": "A rehearsal started from {start} was not finished ({count} actions, the last at"
        " {last} on its clock). Resume it? No starts a new rehearsal from {start}.",
        "ko": "{start}부터 시작한 리허설이 끝나지 않았습니다 (조작 {count}번, 마지막은 리허설"
        " 시계로 {last}). 이어서 할까요? 아니요를 누르면 {start}부터 새 리허설을 시작합니다.",
    },
    "notice.undid": {"en": "Undone: {what}", "ko": "실행 취소: {what}"},
    "undid.start": {"en": "start", "ko": "시작"},
    "undid.pause": {"en": "pause", "ko": "일시정지"},
    "undid.resume": {"en": "resume", "ko": "재개"},
    "undid.next": {"en": "next", "ko": "다음"},
    "undid.previous": {"en": "previous", "ko": "이전"},
    "undid.goto": {"en": "go to segment {n}", "ko": "{n}번 순서로 이동"},
    "undid.add_time": {"en": "{seconds:+g} s", "ko": "{seconds:+g}초"},
    "undid.reset": {"en": "restart of the segment", "ko": "순서 다시 시작"},
    "undid.end": {"en": "end of the show", "ko": "행사 종료"},
    "notice.open_failed": {
        "en": "The agenda could not be opened ({error}); the show carries on unchanged",
        "ko": "진행표를 열 수 없습니다 ({error}). 현재 행사는 그대로 진행됩니다",
    },
    "notice.reload_failed": {
        "en": "The edited agenda could not take over ({error}); the show keeps the previous one",
        "ko": "수정된 진행표를 적용할 수 없습니다 ({error}). 이전 진행표로 계속 진행합니다",
    },
    "notice.agenda_refused": {
        "en": "The agenda has {count} error(s) and was NOT loaded; the show carries on"
        " unchanged. {first}",
        "ko": "진행표에 오류 {count}개가 있어 읽지 않았습니다. 현재 행사는 그대로 진행됩니다."
        " {first}",
    },
    "notice.agenda_reloaded": {
        "en": "Agenda reloaded from {file}",
        "ko": "진행표를 다시 읽었습니다: {file}",
    },
    "notice.agenda_invalid": {
        "en": "The saved agenda has {count} error(s) and was NOT loaded; the show keeps the"
        " previous agenda. {first}",
        "ko": "저장된 진행표에 오류 {count}개가 있어 읽지 않았습니다. 이전 진행표로 계속"
        " 진행합니다. {first}",
    },
    "errors.title": {"en": "The agenda has errors", "ko": "진행표에 오류가 있습니다"},
    "errors.kept": {
        "en": "The current show carries on unchanged.",
        "ko": "현재 진행 중인 행사는 그대로 유지됩니다.",
    },
    "errors.waiting": {
        "en": "Fix the file and save it: it reloads by itself.",
        "ko": "파일을 고쳐 저장하면 자동으로 다시 읽습니다.",
    },
    "open.filter": {"en": "Agendas (*.yaml *.yml)", "ko": "진행표 (*.yaml *.yml)"},
    "open.replace": {
        "en": "A show is live. Replace it with the new agenda?",
        "ko": "행사가 진행 중입니다. 새 진행표로 바꿀까요?",
    },
    # Segment kinds.
    "kind.talk": {"en": "Talk", "ko": "발표"},
    "kind.pitch": {"en": "Pitch", "ko": "피칭"},
    "kind.vote": {"en": "Vote", "ko": "투표"},
    "kind.video": {"en": "Video", "ko": "영상"},
    "kind.ceremony": {"en": "Ceremony", "ko": "식순"},
    "kind.speech": {"en": "Speech", "ko": "연설"},
    "kind.panel": {"en": "Panel", "ko": "패널"},
    "kind.qa": {"en": "Q&A", "ko": "질의응답"},
    "kind.break": {"en": "Break", "ko": "휴식"},
    "kind.performance": {"en": "Performance", "ko": "공연"},
    "kind.handover": {"en": "Handover", "ko": "전환"},
    "kind.other": {"en": "Other", "ko": "기타"},
    # The stage manager, the confidence display and the stage messages.
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
    "cue.standby_due": {
        "en": "STANDBY — {kind} due now (G gives the GO)",
        "ko": "스탠바이 — {kind} 시작 시각 (G 키로 GO)",
    },
    "action.go": {"en": "Give the GO", "ko": "GO 주기"},
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
    "stage.no_screen": {
        "en": "Stage display: no second screen",
        "ko": "무대 화면: 두 번째 화면 없음",
    },
    "stage.moved_operator": {
        "en": "Stage display on screen {n}: its remembered screen is the MC's own",
        "ko": "무대 화면을 {n}번 화면에 표시합니다: 기억된 화면이 사회자 화면입니다",
    },
    "stage.hidden_operator": {
        "en": "Stage display hidden: its remembered screen is the MC's own",
        "ko": "무대 화면 숨김: 기억된 화면이 사회자 화면입니다",
    },
    "stage.no_such_screen": {
        "en": "There is no screen {n}: this computer has {count} (numbered from 0)",
        "ko": "{n}번 화면이 없습니다: 이 컴퓨터의 화면은 {count}개입니다 (0번부터)",
    },
    "stage.operator_screen": {
        "en": "Screen {n} is the MC's own screen: the stage display was not put there",
        "ko": "{n}번 화면은 사회자 화면이라 무대 화면을 띄우지 않았습니다",
    },
    "stage.screen_item": {
        "en": "Screen {n}: {name} ({w}×{h})",
        "ko": "{n}번 화면: {name} ({w}×{h})",
    },
    "menu.stage": {"en": "St&age", "ko": "무대(&A)"},
    "menu.stage_screen": {"en": "Stage display screen", "ko": "무대 화면 위치"},
    "action.show_stage": {"en": "Show stage display", "ko": "무대 화면 표시"},
    "action.stage_manager": {"en": "Stage manager window", "ko": "무대 감독 창"},
    "video.not_found": {"en": "video file not found: {path}", "ko": "영상 파일이 없습니다: {path}"},
    "video.no_screen": {
        "en": "no screen to play it on (connect the projector and choose it)",
        "ko": "재생할 화면이 없습니다 (프로젝터를 연결하고 선택하세요)",
    },
    "video.cannot_open": {
        "en": "cannot open {name}: {error}",
        "ko": "{name}을(를) 열 수 없습니다: {error}",
    },
    "video.cannot_play": {
        "en": "cannot play {name}: {error}",
        "ko": "{name}을(를) 재생할 수 없습니다: {error}",
    },
    "video.load_timeout": {
        "en": "{name} did not open within {t} s",
        "ko": "{name}이(가) {t}초 안에 열리지 않았습니다",
    },
    "video.screen_gone": {
        "en": 'Video for "{title}": the output screen {screen} was disconnected; the sound and'
        " the countdown carry on.",
        "ko": '"{title}" 영상: 출력 화면 {screen}의 연결이 끊겼습니다. 소리와 카운트다운은 계속'
        " 진행됩니다.",
    },
    "video.failed_kept": {
        "en": 'Video for "{title}": {reason}. The countdown keeps the video\'s length.',
        "ko": '"{title}" 영상: {reason}. 카운트다운은 영상 길이를 유지합니다.',
    },
    "video.failed_timer": {
        "en": 'Video for "{title}": {reason}. The segment runs as a plain {t} timer.',
        "ko": '"{title}" 영상: {reason}. 이 순서는 {t} 일반 타이머로 진행됩니다.',
    },
    "video.operator_screen": {
        "en": "Videos will not play on screen {n}: it is the MC's own screen (choose another"
        " with --video-screen); video segments run as plain timers",
        "ko": "{n}번 화면은 사회자 화면이라 영상을 재생하지 않습니다 (--video-screen으로 다른"
        " 화면을 고르세요). 영상 순서는 일반 타이머로 진행됩니다",
    },
    "video.position": {"en": "▶ {at} played · {left} left", "ko": "▶ {at} 재생 · {left} 남음"},
    "action.acknowledge": {"en": "Acknowledge GO", "ko": "GO 확인"},
    "action.clear_message": {"en": "Clear stage message", "ko": "무대 메시지 지우기"},
    "action.message_box": {"en": "Type a stage message", "ko": "무대 메시지 입력"},
    "notice.clock_behind": {
        "en": "The computer's clock is {behind} behind the show's journal: the show was resumed"
        " as it was at its last action, without the time it was down. Check the clock",
        "ko": "컴퓨터 시계가 행사 기록보다 {behind} 늦습니다: 마지막 조작 시점의 상태로 행사를"
        " 이어 가며, 꺼져 있던 시간은 계산하지 못했습니다. 시계를 확인하세요",
    },
    "notice.not_replayable": {
        "en": "The unfinished show #{show} was recorded against another version of this agenda"
        " (segments the file no longer has) and cannot be resumed on it: a new show was"
        " started; the old one is kept in the journal",
        "ko": "끝나지 않은 행사 #{show}는 다른 버전의 진행표(지금 파일에 없는 순서)로 기록되어"
        " 이 파일로 이어 갈 수 없습니다: 새 행사를 시작했으며, 이전 기록은 보관되어 있습니다",
    },
    "notice.read_only": {
        "en": "NOT SAVED: the state folder {folder} cannot be written ({reason}); the show was"
        " resumed from its journal and is timed in memory until the folder can be written again",
        "ko": "저장 안 됨: 상태 폴더 {folder}에 쓸 수 없습니다 ({reason}). 기록에서 행사를 이어"
        " 갔으며, 폴더에 다시 쓸 수 있을 때까지 메모리에서 진행됩니다",
    },
    "cue.not_allowed": {
        "en": "CUE COMMAND NOT ALLOWED: {cmd} (Show ▸ Allow cue commands)",
        "ko": "큐 명령이 허용되지 않음: {cmd} (진행 ▸ 큐 명령 허용)",
    },
    "cue.elsewhere": {
        "en": "Cue command run by the laptop that runs the show, not this one: {cmd}",
        "ko": "큐 명령은 이 노트북이 아니라 행사를 진행하는 노트북에서 실행됩니다: {cmd}",
    },
    "cue.started": {
        "en": "Cue command started, left running: {cmd}",
        "ko": "큐 명령 시작됨 (계속 실행): {cmd}",
    },
    # The consent dialog for an agenda's cue commands.
    "consent.title": {"en": "Allow cue commands?", "ko": "큐 명령을 허용할까요?"},
    "consent.intro": {
        "en": "{file} runs {n} program(s) on this computer when their segments start."
        " Nothing runs until you allow it. Allow only if you trust this file and know what"
        " each command does.",
        "ko": "{file} 파일은 순서가 시작될 때 이 컴퓨터에서 프로그램 {n}개를 실행합니다."
        " 허용하기 전에는 아무것도 실행되지 않습니다. 이 파일을 신뢰하고 각 명령이 무엇을"
        " 하는지 알 때만 허용하세요.",
    },
    "consent.segment": {"en": "Segment", "ko": "순서"},
    "consent.command": {"en": "Program and arguments", "ko": "프로그램과 인수"},
    "consent.runs": {"en": "Runs", "ko": "실행"},
    "consent.segment_cell": {"en": "{n}. {title}", "ko": "{n}. {title}"},
    "consent.timeout": {"en": "stopped after {t} s", "ko": "{t}초 뒤 중지"},
    "consent.detach": {
        "en": "left running (detach; {t} s to start)",
        "ko": "계속 실행 (detach, 시작 제한 {t}초)",
    },
    "consent.allow": {"en": "Allow these commands", "ko": "이 명령 허용"},
    "consent.not_now": {"en": "Not now", "ko": "지금은 안 함"},
    # The browser views (runofshow/_qt/network/views): sent with each state document.
    "view.offline": {"en": "OFFLINE — reconnecting…", "ko": "연결 끊김 — 다시 연결 중…"},
    "view.now": {"en": "NOW", "ko": "지금"},
    "view.next": {"en": "NEXT", "ko": "다음"},
    "view.later": {"en": "LATER", "ko": "이후 순서"},
    "view.segment": {"en": "Segment", "ko": "순서"},
    "view.planned": {"en": "Planned", "ko": "계획"},
    "view.projected": {"en": "Projected", "ko": "예상"},
    "view.actual": {"en": "Actual", "ko": "실제"},
    "view.message": {"en": "Message to the stage", "ko": "무대 메시지"},
    "view.send": {"en": "Send", "ko": "보내기"},
    "action.network": {"en": "Show network…", "ko": "네트워크 연결…"},
    "notice.network_failed": {
        "en": "Show network: {error}",
        "ko": "네트워크: {error}",
    },
    "network.title": {"en": "Show network", "ko": "네트워크 연결"},
    "network.serve": {
        "en": "Serve the show on the network (HTTP API, WebSocket, browser views)",
        "ko": "네트워크로 행사 공유 (HTTP API, 웹소켓, 브라우저 화면)",
    },
    "network.address": {"en": "Address (HOST:PORT)", "ko": "주소 (HOST:PORT)"},
    "network.lan_hint": {
        "en": "127.0.0.1: this laptop only. 0.0.0.0: every device on the LAN.",
        "ko": "127.0.0.1: 이 노트북만. 0.0.0.0: 같은 네트워크의 모든 기기.",
    },
    "network.pin": {"en": "Control PIN", "ko": "조작 PIN"},
    "network.view_pin": {"en": "View PIN (empty: none)", "ko": "보기 PIN (비우면 없음)"},
    "network.apply": {"en": "Apply", "ko": "적용"},
    "network.off": {"en": "Not serving", "ko": "공유 안 함"},
    "network.clients": {"en": "{count} connected", "ko": "{count}개 연결됨"},
    "network.open": {"en": "Open {url} on a phone or tablet", "ko": "휴대폰·태블릿에서 {url} 열기"},
    "action.allow_commands": {"en": "Allow cue commands…", "ko": "큐 명령 허용…"},
    # Two machines, one show (docs/two-machines.md).
    "action.takeover": {"en": "Take over the show…", "ko": "행사 넘겨받기…"},
    "takeover.title": {"en": "Take over the show", "ko": "행사 넘겨받기"},
    "takeover.text": {
        "en": "This laptop becomes the primary of the show, from the last action it copied."
        " Do this only if the MC's laptop is down: if it comes back, it follows this one, and"
        " what it journaled that this laptop never got is kept aside, not merged.\n\nTake"
        " over the show?",
        "ko": "이 노트북이 마지막으로 복사한 동작부터 행사의 주 노트북이 됩니다. 사회자 노트북이"
        " 멈췄을 때만 하십시오: 그 노트북이 돌아오면 이 노트북을 따르며, 이 노트북이 받지 못한"
        " 그쪽 기록은 합치지 않고 따로 보관합니다.\n\n행사를 넘겨받을까요?",
    },
    "badge.following": {"en": "FOLLOWING {name}", "ko": "{name} 따라가는 중"},
    "badge.offline": {"en": "NOT CONNECTED", "ko": "연결 끊김"},
    "badge.primary": {"en": "PRIMARY · {count} following", "ko": "주 노트북 · {count}대 연결"},
    "peer.the_primary": {"en": "the primary", "ko": "주 노트북"},
    "peer.not_shared": {
        "en": "this laptop does not follow another's show (start it with --join)",
        "ko": "이 노트북은 다른 노트북의 행사를 따르지 않습니다 (--join으로 시작하십시오)",
    },
    "peer.follows_only": {
        "en": "This laptop follows the MC's laptop: open, reload and new show are done there",
        "ko": "이 노트북은 사회자 노트북을 따릅니다: 열기·다시 읽기·새 행사는 그쪽에서 하십시오",
    },
    "peer.not_sent": {
        "en": "{name} was not sent: this laptop is not connected to the primary",
        "ko": "{name}: 보내지 않았습니다. 주 노트북과 연결되어 있지 않습니다",
    },
    "peer.joining": {"en": "Joining the show at {url}…", "ko": "{url}의 행사에 연결 중…"},
    "peer.not_primary": {
        "en": "that laptop is not the primary of the show",
        "ko": "그 노트북은 행사의 주 노트북이 아닙니다",
    },
    "peer.cannot_join": {
        "en": "Cannot join the show at {url}: {reason}. Trying again…",
        "ko": "{url}의 행사에 연결할 수 없습니다: {reason}. 다시 시도하는 중…",
    },
    "peer.lost": {
        "en": "NOT CONNECTED to {name} since {since}: this laptop keeps counting from its copy;"
        " commands here are not sent. If the primary is down: Show ▸ Take over the show",
        "ko": "{since}부터 연결 끊김 ({name}): 이 노트북은 복사본으로 계속 셉니다. 여기서 누른"
        " 명령은 보내지 않습니다. 주 노트북이 멈췄다면: 진행 ▸ 행사 넘겨받기",
    },
    "peer.broken": {"en": "{reason}", "ko": "{reason}"},
    "peer.refused": {
        "en": "The primary refused this laptop: {reason}",
        "ko": "주 노트북이 연결을 거부했습니다: {reason}",
    },
    "peer.command_refused": {
        "en": "{name} refused by the primary: {reason}",
        "ko": "주 노트북이 {name}을(를) 거부했습니다: {reason}",
    },
    "peer.took_over": {
        "en": "This laptop took over the show at {time} (term {term}): it is the primary now;"
        " point the clicker and Companion at {url}",
        "ko": "{time}에 이 노트북이 행사를 넘겨받았습니다 (차례 {term}): 이제 주 노트북입니다."
        " 클리커와 Companion을 {url}(으)로 바꾸십시오",
    },
    "peer.demoted": {
        "en": "{name} took over the show (term {term}): this laptop follows it now",
        "ko": "다른 노트북({name})이 행사를 넘겨받았습니다 (차례 {term}): 이 노트북은 이제 그쪽을"
        " 따릅니다",
    },
    "peer.set_aside": {
        "en": "{count} action(s) on {where} are not part of the show after the takeover at"
        " {time}: kept aside and listed in the report",
        "ko": "{where}의 동작 {count}개는 {time} 넘겨받기 이후 행사에 포함되지 않습니다: 따로"
        " 보관하고 보고서에 적습니다",
    },
    "peer.already_primary": {
        "en": "this laptop is the primary of the show",
        "ko": "이 노트북이 행사의 주 노트북입니다",
    },
    "peer.no_show": {
        "en": "this laptop has no copy of the show yet",
        "ko": "이 노트북에는 아직 행사의 복사본이 없습니다",
    },
    "peer.still_connected": {
        "en": "{name} is connected and answering: take over only when it is silent",
        "ko": "주 노트북({name})이 연결되어 응답하고 있습니다: 응답이 없을 때만 넘겨받으십시오",
    },
    "peer.video_desk": {
        "en": "Videos play on the video desk ({names})",
        "ko": "영상은 영상 데스크({names})에서 재생합니다",
    },
    # Planning the show as it runs: roll mode, the landing plan, what-if.
    "action.roll": {"en": "Roll: the clock starts segments", "ko": "자동 진행: 시계가 순서 시작"},
    "action.land": {"en": "Land on time (apply the plan)", "ko": "정시 종료 계획 적용"},
    "action.plan": {"en": "Apply new lengths", "ko": "새 길이 적용"},
    "undid.plan": {"en": "the plan", "ko": "계획"},
    "undid.roll": {"en": "the roll mode change", "ko": "자동 진행 전환"},
    "plan.land": {"en": "LAND ON TIME", "ko": "정시 종료"},
    "plan.what_if": {"en": "WHAT IF", "ko": "가정해 보기"},
    "plan.on_time": {
        "en": "On time: projected end {end} (plan {planned})",
        "ko": "정시: 종료 예상 {end} (계획 {planned})",
    },
    "plan.off": {
        "en": "{drift}: projected end {end}, target {target}",
        "ko": "{drift}: 종료 예상 {end}, 목표 {target}",
    },
    "plan.proposal": {
        "en": "Proposal: {changes} → ends {end}",
        "ko": "제안: {changes} → {end} 종료",
    },
    "plan.short": {
        "en": "Proposal: {changes} → ends {end}, still {drift}: no segment has more to give",
        "ko": "제안: {changes} → {end} 종료, 여전히 {drift}: 더 줄일 순서가 없습니다",
    },
    "plan.no_room": {
        "en": "No segment still to come can give or take time (fixed, videos, at their minimum)",
        "ko": "남은 순서 중 시간을 조정할 수 있는 순서가 없습니다 (고정, 영상, 최소 길이)",
    },
    "plan.ended": {"en": "The show has ended", "ko": "행사가 끝났습니다"},
    "plan.target": {"en": "Land at", "ko": "종료 목표"},
    "plan.target_hint": {"en": "planned end", "ko": "계획 종료"},
    "plan.bad_target": {"en": "Not a time of day: {text}", "ko": "시각이 아닙니다: {text}"},
    "plan.apply": {"en": "Apply plan", "ko": "계획 적용"},
    "whatif.segment": {"en": "Segment", "ko": "순서"},
    "whatif.length": {"en": "Length", "ko": "길이"},
    "whatif.length_hint": {"en": "6m, 5:30, +1m", "ko": "6m, 5:30, +1m"},
    "whatif.try": {"en": "Try", "ko": "해 보기"},
    "whatif.apply": {"en": "Apply", "ko": "적용"},
    "whatif.clear": {"en": "Clear", "ko": "지우기"},
    "whatif.idle": {
        "en": "Change a segment's length to see the new end and every later start",
        "ko": "순서의 길이를 바꾸면 새 종료 시각과 이후 시작 시각을 보여 줍니다",
    },
    "whatif.active": {
        "en": "NOT APPLIED — the running order shows the show if {changes}: ends {end} ({drift})",
        "ko": "적용 안 됨 — 진행 순서는 {changes}일 때의 예상입니다: {end} 종료 ({drift})",
    },
    "whatif.item": {"en": "{n}. {title} {length}", "ko": "{n}. {title} {length}"},
}


def system_language() -> str:
    """Korean on a Korean system, English anywhere else."""
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def choose_language(requested: str | None, remembered: str | None) -> str:
    """The command line wins, then the remembered choice, then the system's language."""
    for candidate in (requested, remembered):
        if candidate in LANGUAGES:
            return candidate
    return system_language()


def say(tr: Translator, notice: str) -> str:
    """A core notice in the UI's language: its catalogue entry when it carries one (a
    ``runofshow.core.session.Notice``), else its own (English) text."""
    key = f"notice.{getattr(notice, 'key', '')}"
    if key in CATALOGUE:
        return tr(key, **getattr(notice, "values", {}))
    return str(notice)


class Translator:
    """Looks words up in the catalogue for the current language; switchable at run time."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in LANGUAGES else "en"

    def __call__(self, key: str, **values: object) -> str:
        text = CATALOGUE[key][self.lang]
        return text.format(**values) if values else text
