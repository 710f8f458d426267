// The browser views' shared part: the WebSocket feed, the clock offset, and the countdown
// computed here from the server's instants (core/remote_state.py describes the document).
// A view never counts ticks: at every frame it reads its own clock plus the measured offset,
// so it flips on the true second boundary and cannot drift. It reconnects by itself and
// says OFFLINE while it is; when the show runs on several laptops (docs/two-machines.md) it
// tries each of them in turn (the document lists them), so a view whose laptop died finds
// the one that took over.
"use strict";

const Show = (() => {
  const params = new URLSearchParams(location.search);
  const pin = params.get("pin") || "";
  const PING_EVERY_MS = 5000;
  const PING_TIMEOUT_MS = 4000;
  const WAKE_MARGIN_MS = 1;
  let doc = null;
  let role = "view";
  let offset = null; // server clock minus this page's clock, seconds
  let samples = []; // [rtt, offset] of recent time exchanges
  let socket = null;
  let online = false;
  let retryMs = 500;
  let pingTimer = null;
  let lastAnswer = 0;
  let drawTimer = null;
  let servers = [location.host]; // this page's server first, then the show's other laptops
  let serverIndex = 0;
  const drawers = [];
  const commandWaiters = new Map();
  let commandId = 0;

  const clientNow = () => performance.now() / 1000;
  const serverNow = () => clientNow() + (offset ?? 0);

  function connect() {
    const query = pin ? "?pin=" + encodeURIComponent(pin) : "";
    const host = servers[serverIndex % servers.length];
    socket = new WebSocket("ws://" + host + "/ws" + query);
    socket.onopen = () => {
      retryMs = 500;
      lastAnswer = clientNow();
      setOnline(true);
      for (let i = 0; i < 4; i++) setTimeout(ping, i * 150);
      pingTimer = setInterval(keepAlive, PING_EVERY_MS);
    };
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => dropped();
    socket.onerror = () => socket.close();
  }

  function dropped() {
    clearInterval(pingTimer);
    setOnline(false);
    // The next laptop of the show, if there are several: another server's clock is its
    // own, so the offset is measured afresh there.
    if (servers.length > 1) {
      serverIndex += 1;
      samples = [];
      offset = null;
      retryMs = 500;
    }
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 4000);
  }

  function learnPeers(peers) {
    if (!Array.isArray(peers)) return;
    const current = servers[serverIndex % servers.length];
    const hosts = peers
      .filter((url) => typeof url === "string" && url.startsWith("http://"))
      .map((url) => url.slice("http://".length).replace(/\/+$/, ""));
    servers = [...new Set([current, location.host, ...hosts])];
    serverIndex = 0;
  }

  function keepAlive() {
    // A network cut can leave a socket open with nothing coming through: the answers to
    // these pings are the proof of life.
    if (clientNow() - lastAnswer > (PING_EVERY_MS + PING_TIMEOUT_MS) / 1000) {
      socket.close();
      dropped();
      return;
    }
    ping();
  }

  function ping() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ kind: "time", client: clientNow() }));
    }
  }

  function receive(message) {
    lastAnswer = clientNow();
    if (message.kind === "time") {
      const now = clientNow();
      const rtt = now - message.client;
      samples.push([rtt, message.server - (message.client + now) / 2]);
      samples = samples.slice(-8);
      offset = samples.reduce((best, s) => (s[0] < best[0] ? s : best))[1];
    } else if (message.kind === "hello") {
      role = message.role;
      if (offset === null) offset = message.server - clientNow();
    } else if (message.kind === "state") {
      doc = message;
      learnPeers(doc.peers);
      if (offset === null) offset = doc.clock.server - clientNow();
      draw();
    } else if (message.kind === "ack") {
      const waiter = commandWaiters.get(message.id);
      commandWaiters.delete(message.id);
      if (waiter) waiter(message);
    }
  }

  function setOnline(value) {
    online = value;
    document.body.classList.toggle("offline", !value);
    draw();
  }

  // -- what the document says at this instant -------------------------------------------
  function remaining() {
    const c = doc.countdown;
    if (c.zero_at === null) return c.remaining_s;
    return (c.zero_at - serverNow()) * doc.clock.speed;
  }

  function wallNow() {
    return doc.clock.wall + (serverNow() - doc.clock.server) * doc.clock.speed;
  }

  function phase(left) {
    const status = doc.show.status;
    if (status === "ready" || status === "waiting" || status === "ended") return "idle";
    const cur = doc.current;
    if (left <= 0) return "overtime";
    if (left <= cur.danger_s) return "danger";
    if (left <= cur.wrapup_s) return "wrapup";
    return "normal";
  }

  function hms(seconds) {
    const total = Math.floor(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function countdownText(left) {
    if (left > 0) return hms(Math.ceil(left - 1e-9));
    return "+" + hms(Math.floor(-left + 1e-9));
  }

  function clock(wall, withSeconds) {
    const local = new Date((wall + doc.clock.utc_offset_s) * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    const text = pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
    return withSeconds ? text + ":" + pad(local.getUTCSeconds()) : text;
  }

  function words(key, values) {
    let text = (doc && doc.words && doc.words[key]) || "";
    for (const [name, value] of Object.entries(values || {})) {
      text = text.replace("{" + name + "}", value);
    }
    return text;
  }

  function phaseWord(left) {
    const status = doc.show.status;
    if (doc.show.starts_at !== null && doc.show.starts_at !== undefined) {  // roll mode
      const wait = Math.max(0, (doc.show.starts_at - serverNow()) * doc.clock.speed);
      return words("phase.starts_in", { t: countdownText(wait) });
    }
    if (status === "ready" || status === "waiting") return words("phase.ready");
    if (status === "ended") return words("phase.ended");
    if (status === "paused") return words("phase.paused");
    const p = phase(left);
    if (p === "overtime") return words("phase.overtime", { over: countdownText(left) });
    return words("phase." + p);
  }

  // The projected starts of every row, as core/remote_state.projected_starts computes them.
  function projectedStarts(wall) {
    const rows = doc.segments;
    const floor = doc.projection.floor;
    const hold = doc.projection.hold_s;
    let cursor = Math.max(floor === null ? -Infinity : floor, hold === null ? -Infinity : wall + hold);
    const waiting = doc.show.status === "ready" || doc.show.status === "waiting";
    return rows.map((row) => {
      if (row.state === "current" && waiting) return Math.max(row.projected_start, wall);
      if (row.state !== "future") return row.projected_start;
      const start = row.fixed_at === null ? cursor : Math.max(cursor, row.fixed_at);
      cursor = start + row.slot_s;
      return start;
    });
  }

  function projectedEnd(wall) {
    const rows = doc.segments;
    if (doc.show.status === "ended" || !rows.length) return doc.projected_end;
    const starts = projectedStarts(wall);
    const last = rows[rows.length - 1];
    if (last.state === "future") return starts[starts.length - 1] + last.slot_s;
    const floor = doc.projection.floor;
    const hold = doc.projection.hold_s;
    return Math.max(floor === null ? -Infinity : floor, hold === null ? -Infinity : wall + hold);
  }

  // -- drawing, on the true boundaries --------------------------------------------------
  function draw() {
    clearTimeout(drawTimer);
    if (!doc) return;
    for (const drawer of drawers) drawer();
    // Wake at the next flip of the countdown, of overtime's flash, or of the minute.
    let waitS = 60 - (wallNow() % 60);
    const speed = doc.clock.speed;
    if (doc.countdown.zero_at !== null) {
      const left = remaining();
      const frac = left - Math.floor(left);
      waitS = Math.min(waitS, (frac > 1e-9 ? frac : 1) / speed);
      if (left <= 0) {
        const realOver = -left / speed;
        waitS = Math.min(waitS, 0.25 - (realOver % 0.25));
      }
    } else {
      const w = wallNow();
      waitS = Math.min(waitS, (1 - (w - Math.floor(w))) / speed);
    }
    drawTimer = setTimeout(draw, Math.max(0, waitS * 1000) + WAKE_MARGIN_MS);
  }

  function flashOn(left) {
    if (left > 0 || doc.show.status !== "running") return true;
    return Math.floor(-left / doc.clock.speed / 0.25) % 2 === 0;
  }

  // -- commands (the control PIN) ------------------------------------------------------
  function command(name, args) {
    return new Promise((resolve) => {
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        resolve({ applied: false, error: words("view.offline") });
        return;
      }
      const id = ++commandId;
      commandWaiters.set(id, resolve);
      socket.send(JSON.stringify({ kind: "command", name, args: args || {}, id }));
    });
  }

  function start(drawer) {
    drawers.push(drawer);
    document.body.classList.add("offline");
    connect();
  }

  return {
    start, command, remaining, wallNow, serverNow, phase, phaseWord, countdownText, clock, words,
    projectedStarts, projectedEnd, flashOn, hms,
    get doc() { return doc; },
    get role() { return role; },
    get online() { return online; },
    get offset() { return offset; },
    pin,
  };
})();

// The text of an element, set only when it changes (no layout work on every frame).
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
