// The speaker's confidence display in a browser: the countdown, the phase colour and word,
// the stage message, and black when the stage is blacked out. Nothing else.
"use strict";

(() => {
  const countdown = document.getElementById("countdown");
  const phaseLine = document.getElementById("phase");
  const message = document.getElementById("message");
  const offline = document.getElementById("offline");
  let lastMessageSeq = null;

  function drawTimer() {
    const doc = Show.doc;
    setText(offline, Show.words("view.offline") || "OFFLINE");
    const left = Show.remaining();
    const phase = Show.phase(left);
    for (const name of ["normal", "wrapup", "danger", "overtime"]) {
      document.body.classList.toggle(name, phase === name);
    }
    document.body.classList.toggle("blackout", doc.blackout);
    setText(countdown, Show.countdownText(left));
    countdown.classList.toggle("dark", !Show.flashOn(left));
    setText(phaseLine, Show.phaseWord(left));
    const text = doc.message ? doc.message.text : "";
    setText(message, text);
    const seq = doc.message ? doc.message.seq : null;
    if (seq !== lastMessageSeq) {
      lastMessageSeq = seq;
      message.classList.remove("flash");
      if (doc.message && doc.message.flash) {
        void message.offsetWidth; // restart the animation for a new message
        message.classList.add("flash");
      }
    }
    document.body.dataset.countdown = countdown.textContent; // read by the tests
  }

  Show.start(drawTimer);
})();
