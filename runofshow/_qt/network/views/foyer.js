// The public agenda for a screen outside the room: what is on now, what comes next and
// later, with the times each is expected to start (projected, so a late show says so).
// No countdown, no cues, no messages: the audience's view of the programme.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const LATER_ROWS = 5;

  function drawFoyer() {
    const doc = Show.doc;
    setText($("offline"), Show.words("view.offline") || "OFFLINE");
    setText($("event"), doc.show.title);
    const wall = Show.wallNow();
    setText($("clock"), Show.clock(wall));
    const starts = Show.projectedStarts(wall);
    const status = doc.show.status;
    const cur = doc.current;
    const onNow = status === "running" || status === "paused";
    setText($("now-label"), Show.words(status === "ended" ? "phase.ended" : onNow ? "view.now" : "view.next"));
    setText($("now-title"), status === "ended" ? "" : cur.title);
    setText($("now-speaker"), status === "ended" ? "" : [cur.speaker, onNow ? "" : Show.clock(starts[cur.index])]
      .filter(Boolean).join(" · "));
    setText($("later-label"), status === "ended" ? "" : Show.words("view.later"));
    const later = status === "ended" ? [] : doc.segments.filter((row) => row.index > cur.index).slice(0, LATER_ROWS);
    const key = later.map((row) => Show.clock(starts[row.index]) + row.title).join("|");
    const box = $("later");
    if (box.dataset.key !== key) {
      box.dataset.key = key;
      box.replaceChildren(...later.map((row) => {
        const line = document.createElement("div");
        line.className = "row";
        const time = document.createElement("span");
        time.className = "time";
        time.textContent = Show.clock(starts[row.index]);
        const what = document.createElement("span");
        what.className = "what";
        what.textContent = row.title + (row.speaker ? " — " + row.speaker : "");
        line.append(time, what);
        return line;
      }));
    }
  }

  Show.start(drawFoyer);
})();
