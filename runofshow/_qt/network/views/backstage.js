// The stage manager's tablet: the running order with planned, projected and actual times,
// STANDBY / GO for the next cue, and with the control PIN: GO, previous, next, pause and a
// message to the stage. Every button is a command of the app's command table, sent on the
// WebSocket and journaled like a key press.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const rows = $("rows");
  let rowsKey = null;
  let rowElements = [];

  function drawBackstage() {
    const doc = Show.doc;
    setText($("offline"), Show.words("view.offline") || "OFFLINE");
    document.body.classList.toggle("control", Show.role === "control");
    const left = Show.remaining();
    setText($("countdown"), Show.countdownText(left));
    const cur = doc.current;
    setText($("now"), cur.number + ". " + cur.title + (cur.speaker ? " — " + cur.speaker : ""));
    setText($("phase"), Show.phaseWord(left));
    const wall = Show.wallNow();
    const drift = Math.round(Show.projectedEnd(wall) - doc.planned_end);
    const driftWords = drift === 0 ? Show.words("drift.on_time")
      : Show.words(drift > 0 ? "drift.behind" : "drift.ahead", { t: Show.hms(Math.abs(drift)) });
    setText($("drift"), driftWords + " · " + Show.clock(wall));
    drawCue();
    drawRows(wall);
    for (const [id, key] of [["h-title", "view.segment"], ["h-planned", "view.planned"],
      ["h-projected", "view.projected"], ["h-actual", "view.actual"]]) {
      setText($(id), Show.words(key));
    }
    $("text").placeholder = Show.words("view.message");
    const status = doc.show.status;
    const toggle = status === "running" ? "action.pause" : status === "paused" ? "action.resume"
      : "action.start";
    for (const [id, key] of [["previous", "action.previous"],
      ["next", "action.next"], ["toggle", toggle], ["send", "view.send"],
      ["clear", "action.clear_message"]]) {
      setText($(id), Show.words(key));
    }
  }

  // The cue as the stage manager's window shows it: GO once its segment has started (the
  // document says so, until the GO is acknowledged); before that, STANDBY counting down to its
  // projected start and holding at 0:00 while the segment before runs over. The GO button
  // gives the GO in STANDBY (it starts the cued segment) and acknowledges it at GO.
  function drawCue() {
    const doc = Show.doc;
    const cue = doc.cue;
    const box = $("cue");
    let state = null;
    let text = "";
    if (cue) {
      const kind = Show.words("kind." + cue.kind);
      const until = cue.go_at === null ? cue.until_go_s
        : Math.max(0, (cue.go_at - Show.serverNow()) * doc.clock.speed);
      if (cue.state === "go") state = "go";
      else if (until <= cue.standby_s) state = "standby";
      if (state === "go") text = Show.words("cue.go", { kind }) + " · " + cue.text;
      if (state === "standby") {
        text = Show.words("cue.standby", { kind, t: Show.countdownText(until) }) + " · " + cue.text;
      }
    }
    box.classList.toggle("standby", state === "standby");
    box.classList.toggle("go", state === "go");
    setText(box, text);
    const go = $("go");
    go.dataset.command = state === "go" ? "acknowledge" : "go";
    setText(go, Show.words(state === "go" ? "action.acknowledge" : "action.go"));
    go.disabled = state === null;
  }

  function drawRows(wall) {
    const doc = Show.doc;
    const starts = Show.projectedStarts(wall);
    const key = doc.serial + ":" + doc.segments.length;
    if (key !== rowsKey) {
      rowsKey = key;
      rows.replaceChildren();
      rowElements = doc.segments.map((row) => {
        const tr = document.createElement("tr");
        tr.className = row.state;
        const cells = ["number", "title", "planned", "projected", "actual"].map((name) => {
          const td = document.createElement("td");
          td.className = name;
          tr.appendChild(td);
          return td;
        });
        const mark = row.cue ? " ◆ " + row.cue : "";
        cells[0].textContent = row.number;
        cells[1].textContent = row.title + (row.speaker ? " — " + row.speaker : "");
        if (mark) {
          const span = document.createElement("span");
          span.className = "cue-mark";
          span.textContent = mark;
          cells[1].appendChild(span);
        }
        cells[2].textContent = Show.clock(row.planned_start);
        rows.appendChild(tr);
        return cells;
      });
    }
    doc.segments.forEach((row, i) => {
      const cells = rowElements[i];
      const past = row.state === "past"; // when it ran is under "actual"
      setText(cells[3], past ? "" : Show.clock(starts[i]));
      cells[3].classList.toggle("late", !past && starts[i] - row.planned_start >= 60);
      const actual = row.actual_start === null ? ""
        : Show.clock(row.actual_start) + (row.actual_end === null ? "" : "–" + Show.clock(row.actual_end));
      setText(cells[4], actual);
    });
  }

  async function send(name, args) {
    const answer = await Show.command(name, args);
    if (!answer.applied) console.warn(name, answer.reason || answer.error);
    return answer;
  }

  for (const button of document.querySelectorAll("button[data-command]")) {
    button.addEventListener("click", () => send(button.dataset.command));
  }
  $("send").addEventListener("click", async () => {
    const text = $("text").value.trim();
    if (text && (await send("message", { text })).applied) $("text").value = "";
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter") $("send").click();
  });

  Show.start(drawBackstage);
})();
