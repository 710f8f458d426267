"""A real browser engine on a page of the show server: ``browser_probe.py URL OUT.json``.

QtWebEngine (Chromium, from PySide6-Addons) in its own process, offscreen: it loads the page,
waits until the view has its first state document and clock offset, then for ``--watch S``
seconds records every change of the countdown's text with the page's own clock (wall time:
``performance.timeOrigin + performance.now()``), reads what the page shows, and optionally
saves a screenshot. Used by the browser-view tests, the show-day test, the benchmark and
docs/screenshots/make_view_screenshots.py. Exit 0 with the JSON written, else 1 with why.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

READY_JS = (
    "typeof Show !== 'undefined' && Show.doc !== null && Show.offset !== null"
    " && document.fonts.status === 'loaded'"
)
WATCH_JS = """
(() => {
  window.__flips = [];
  window.__samples = [];
  setInterval(() => window.__samples.push([(performance.timeOrigin + performance.now()) / 1000,
    Show.online, document.body.className,
    getComputedStyle(document.getElementById('offline')).display !== 'none']), 100);
  const el = document.getElementById('countdown');
  if (!el) return false;
  new MutationObserver(() => window.__flips.push(
    [(performance.timeOrigin + performance.now()) / 1000, el.textContent])
  ).observe(el, {childList: true, characterData: true, subtree: true});
  return true;
})()
"""
READ_JS = """
(() => {
  const text = (id) => { const e = document.getElementById(id); return e ? e.textContent : null; };
  return JSON.stringify({
    countdown: text('countdown'), phase: text('phase'), message: text('message'),
    now: text('now'), cue: text('cue'), event: text('event'), now_title: text('now-title'),
    later: [...document.querySelectorAll('#later .row')].map(r => r.textContent),
    rows: [...document.querySelectorAll('#rows tr')].map(r => [...r.cells].map(c => c.textContent)),
    body: document.body.className, role: Show.role, online: Show.online,
    flips: window.__flips || [], samples: window.__samples || [], serial: Show.doc.serial,
    font: document.fonts.check('700 16px NanumSquare', '가'),
    fonts_loaded: [...document.fonts].filter(f => f.status === 'loaded').length,
    overflow: [...document.querySelectorAll('main *')].filter(
      e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow !== 'ellipsis'
        && getComputedStyle(e).overflowX !== 'auto' && e.clientWidth > 0
    ).map(e => e.id || e.className),
    now_wall: (performance.timeOrigin + performance.now()) / 1000,
  });
})()
"""


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("out", type=Path)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--watch", type=float, default=0.0, help="seconds of countdown flips")
    p.add_argument("--screenshot", type=Path)
    p.add_argument("--click", help="the id of a button to click once ready")
    p.add_argument("--timeout", type=float, default=30.0)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    view = QWebEngineView()

    class Page(QWebEnginePage):
        def javaScriptConsoleMessage(self, _level, message, line, source) -> None:
            print(f"console: {source}:{line}: {message}", file=sys.stderr)

    page = Page(view)
    view.setPage(page)
    width, height = (int(x) for x in args.size.split("x"))
    view.resize(width, height)
    view.show()
    deadline = time.monotonic() + args.timeout
    result: dict = {}

    def finish(code: int, why: str = "") -> None:
        if why:
            print(why, file=sys.stderr)
        result["exit"] = code
        app.exit(code)

    def poll(js: str, then) -> None:
        def answered(value) -> None:
            if value:
                then(value)
            elif time.monotonic() > deadline:
                finish(1, f"timed out waiting for {js[:60]!r}")
            else:
                QTimer.singleShot(50, lambda: view.page().runJavaScript(js, 0, answered))

        view.page().runJavaScript(js, 0, answered)

    def ready(_value) -> None:
        if args.click:
            view.page().runJavaScript(f"document.getElementById({args.click!r}).click()", 0)
        view.page().runJavaScript(WATCH_JS, 0, lambda _ok: QTimer.singleShot(
            max(300, round(args.watch * 1000)), read))  # fmt: skip

    def read() -> None:
        view.page().runJavaScript(READ_JS, 0, done)

    def done(text) -> None:
        try:
            args.out.write_text(text or "{}", encoding="utf-8")
            if args.screenshot is not None and not view.grab().save(str(args.screenshot)):
                raise OSError(f"cannot save {args.screenshot}")
        except OSError as error:  # said, not swallowed by Qt's callback
            finish(1, str(error))
            return
        finish(0)

    view.loadFinished.connect(lambda ok: ok or print(f"could not load {args.url}", file=sys.stderr))
    view.load(QUrl(args.url))
    poll(READY_JS, ready)
    QTimer.singleShot(round(args.timeout * 1000) + 5000, lambda: finish(1, "hard deadline"))
    code = app.exec()
    return code if "exit" in result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
