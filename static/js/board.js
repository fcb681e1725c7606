/* Gastgeber staff board — the host's live view of the door.
 *
 *  - "Start" unlocks sound (WebAudio chime, no file) and asks for notifications.
 *  - board.snapshot replaces the whole list on every (re)connect; visit.updated
 *    upserts by id; visit.arrived is the alert for this host; visit.escalated asks
 *    the team to step in.
 *  - Cards are keyed by visit id and updated in place (a half-typed note survives).
 *  - All text goes through textContent.
 */
(function () {
  "use strict";

  var RANK = { waiting: 0, acknowledged: 1, greeted: 2, completed: 3, abandoned: 3 };
  var STATUS_LABEL = {
    waiting: "Waiting",
    acknowledged: "Seen",
    greeted: "Greeted",
    completed: "Done",
    abandoned: "Left"
  };
  var ACTIONS = {
    waiting: ["acknowledge", "greet", "abandon"],
    acknowledged: ["greet", "abandon"],
    greeted: ["complete"]
  };
  var ACTION_LABEL = {
    acknowledge: "I've seen it",
    greet: "Greeted",
    complete: "Done",
    abandon: "Left without greeting"
  };
  var REPEAT_CHIME_MS = 20000;
  var ERROR_SHOW_MS = 6000;
  var POLL_MS = 5000;

  // ---------------------------------------------------------------- config & elements
  var $ = function (id) { return document.getElementById(id); };
  var CONFIG = {};
  try { CONFIG = JSON.parse($("board-config").textContent) || {}; } catch (e) { CONFIG = {}; }
  var escalateMs = (Number(CONFIG.escalate_after_seconds) > 0 ? Number(CONFIG.escalate_after_seconds) : 30) * 1000;

  var root = $("board");
  var ME = { id: String(root.getAttribute("data-host-id")), name: root.getAttribute("data-host-name") || "" };
  var BASE_TITLE = document.title;
  var startPanel = $("start-panel");
  var startButton = $("start-button");
  var main = $("board-main");
  var mineList = $("mine-list");
  var teamList = $("team-list");
  var conn = $("conn");
  var connText = $("conn-text");
  var banner = $("board-banner");

  // ---------------------------------------------------------------- state
  var visits = new Map(); // id -> Visit (open ones only)
  var contexts = new Map(); // id -> context from visit.arrived
  var alerted = new Set(); // ids we already rang for
  var escalated = new Set(); // ids the server escalated to the team
  var closed = new Map(); // id -> time; finished visits, to ignore late updates
  var cards = new Map(); // id -> card record
  var notifications = new Map(); // id -> Notification
  var clockOffset = 0; // server time - client time, ms
  var audio = null;
  var lastChime = 0;
  var socket = null;
  var live = false;

  function key(id) { return String(id); }
  function rank(v) { return v && Object.prototype.hasOwnProperty.call(RANK, v.status) ? RANK[v.status] : -1; }
  function isOpen(v) { return v && (v.status === "waiting" || v.status === "acknowledged" || v.status === "greeted"); }
  function isMine(v) { return !!(v && v.host && key(v.host.id) === ME.id); }
  function now() { return Date.now() + clockOffset; }
  function nameOf(v) { return (v && v.customer && v.customer.name) ? String(v.customer.name) : "A guest"; }
  function ms(iso) { var t = iso ? Date.parse(iso) : NaN; return isNaN(t) ? null : t; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function clock(msValue) {
    var s = Math.max(0, Math.floor(msValue / 1000));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return (m < 10 ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }

  // ---------------------------------------------------------------- sound & notifications
  function initAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      if (!audio) audio = new Ctx();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }

  function chime(soft) {
    if (!audio) return;
    try {
      if (audio.state === "suspended") audio.resume();
      var t0 = audio.currentTime + 0.03;
      var notes = soft ? [[660, 0, 0.35]] : [[784, 0, 0.9], [1047, 0.16, 1.0], [1319, 0.32, 1.4]];
      var peak = soft ? 0.08 : 0.28;
      notes.forEach(function (n) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.setValueAtTime(n[0], t0 + n[1]);
        gain.gain.setValueAtTime(0.0001, t0 + n[1]);
        gain.gain.exponentialRampToValueAtTime(peak, t0 + n[1] + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n[1] + n[2]);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(t0 + n[1]);
        osc.stop(t0 + n[1] + n[2] + 0.05);
      });
      if (!soft) lastChime = Date.now();
    } catch (e) { /* no sound is better than a broken board */ }
  }

  function notify(v, text) {
    if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
    try {
      var n = new Notification(text, {
        body: "Open the board to respond.",
        tag: "gastgeber-visit-" + key(v.id),
        requireInteraction: true
      });
      n.onclick = function () { window.focus(); n.close(); };
      notifications.set(key(v.id), n);
    } catch (e) { /* some browsers only allow notifications from a service worker */ }
  }

  function announce(text) {
    var box = $("announce");
    if (box) box.textContent = text;
  }

  function closeNotification(id) {
    var n = notifications.get(id);
    if (n) { try { n.close(); } catch (e) { /* already gone */ } notifications.delete(id); }
  }

  function alertFor(v) {
    var id = key(v.id);
    if (alerted.has(id) || v.status !== "waiting") return;
    alerted.add(id);
    chime(false);
    announce(nameOf(v) + " is here for you");
    notify(v, nameOf(v) + " is here for you");
  }

  function escalate(v) {
    var id = key(v.id);
    escalated.add(id);
    if (isMine(v)) return alertFor(v);
    if (alerted.has(id) || v.status !== "waiting") return;
    alerted.add(id);
    chime(false);
    announce(nameOf(v) + " is still waiting — can you step in?");
    notify(v, nameOf(v) + " is still waiting" + (v.host && v.host.name ? " for " + v.host.name : "") + " — can you step in?");
  }

  // ---------------------------------------------------------------- model
  function upsert(v) {
    if (!v || v.id === undefined || v.id === null) return false;
    var id = key(v.id);
    var old = visits.get(id);
    if (old && rank(v) < rank(old)) return false; // stale event
    if (!isOpen(v)) {
      visits.delete(id);
      closed.set(id, Date.now());
      closeNotification(id);
      return true;
    }
    if (!old && closed.has(id)) return false; // a late update for a finished visit
    visits.set(id, v);
    if (v.status !== "waiting") closeNotification(id);
    return true;
  }

  function applySnapshot(list, serverTime) {
    var t = ms(serverTime);
    if (t !== null) clockOffset = t - Date.now();
    var next = new Map();
    (list || []).forEach(function (v) {
      if (v && isOpen(v) && v.id !== undefined && v.id !== null) next.set(key(v.id), v);
    });
    visits.forEach(function (_, id) { if (!next.has(id)) closeNotification(id); });
    visits = next;
    closed.clear();
    [contexts, escalated].forEach(function (m) {
      Array.from(m.keys()).forEach(function (id) { if (!visits.has(id)) m.delete(id); });
    });
    Array.from(alerted).forEach(function (id) { if (!visits.has(id)) alerted.delete(id); });
    // No alert is lost while the board was away: ring for my waiting guests we have not rung for.
    visits.forEach(function (v) { if (isMine(v) && v.status === "waiting") alertFor(v); });
    render();
  }

  // ---------------------------------------------------------------- rendering
  function sortVisits(list) {
    return list.sort(function (a, b) {
      var r = rank(a) - rank(b);
      if (r) return r;
      var ta = ms(a.arrived_at) || 0;
      var tb = ms(b.arrived_at) || 0;
      return ta - tb || (key(a.id) < key(b.id) ? -1 : 1);
    });
  }

  function buildCard(v) {
    var id = key(v.id);
    var card = {
      id: id,
      root: el("article", "card"),
      kicker: el("p", "card-kicker"),
      title: el("h3", "card-title"),
      name: el("span", "card-name"),
      suffix: el("span", "card-suffix"),
      badge: el("span", "badge"),
      timer: el("span", "timer"),
      timerLabel: el("span", "timer-label"),
      timerValue: el("span", "timer-value"),
      meta: el("p", "card-meta"),
      context: el("dl", "card-context"),
      actions: el("div", "card-actions"),
      error: el("p", "card-error"),
      actionsFor: null,
      note: null,
      busy: false,
      errorTimer: null
    };
    card.root.setAttribute("data-visit-id", id);
    card.error.setAttribute("role", "alert");
    card.error.hidden = true;
    card.timer.setAttribute("role", "timer");
    card.timer.appendChild(card.timerLabel);
    card.timer.appendChild(card.timerValue);
    card.title.appendChild(card.name);
    card.title.appendChild(card.suffix);
    var head = el("div", "card-head");
    var headText = el("div", "card-head-text");
    headText.appendChild(card.kicker);
    headText.appendChild(card.title);
    var headSide = el("div", "card-head-side");
    headSide.appendChild(card.badge);
    headSide.appendChild(card.timer);
    head.appendChild(headText);
    head.appendChild(headSide);
    card.root.appendChild(head);
    card.root.appendChild(card.meta);
    card.root.appendChild(card.context);
    card.root.appendChild(card.actions);
    card.root.appendChild(card.error);
    card.root.addEventListener("click", function (ev) {
      var b = ev.target.closest ? ev.target.closest("button[data-action]") : null;
      if (b && card.root.contains(b)) act(card, b.getAttribute("data-action"));
    });
    cards.set(id, card);
    return card;
  }

  function renderActions(card, v) {
    var list = ACTIONS[v.status] || [];
    var sig = v.status;
    if (card.actionsFor === sig) return;
    card.actionsFor = sig;
    card.actions.textContent = "";
    card.note = null;
    if (v.status === "greeted") {
      var wrap = el("div", "note-field");
      var inputId = "note-" + card.id.replace(/[^A-Za-z0-9_-]/g, "_");
      var label = el("label", "note-label", "Outcome note (optional)");
      label.setAttribute("for", inputId);
      var input = el("input", "note-input");
      input.type = "text";
      input.id = inputId;
      input.name = "note";
      input.maxLength = 2000;
      input.autocomplete = "off";
      input.setAttribute("data-role", "note");
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { ev.preventDefault(); act(card, "complete"); }
      });
      wrap.appendChild(label);
      wrap.appendChild(input);
      card.actions.appendChild(wrap);
      card.note = input;
    }
    list.forEach(function (action) {
      var b = el("button", "button action action-" + action, ACTION_LABEL[action]);
      b.type = "button";
      b.setAttribute("data-action", action);
      if (action === "acknowledge" || action === "complete" || (action === "greet" && v.status === "acknowledged")) {
        b.className += " button-primary";
      }
      card.actions.appendChild(b);
    });
    setBusy(card, card.busy);
  }

  var CONTEXT_LABEL = {
    language: "Language",
    topic: "Topic",
    appointment_code: "Appointment",
    party_size: "Party",
    assignment_reason: "Assigned"
  };
  var QUIET_REASONS = { least_loaded: true, fallback: true };
  var SKIP_CONTEXT = { id: true, status: true, customer: true, host: true, acknowledged_by: true };

  function contextItems(v, ctx) {
    var merged = {};
    Object.keys(CONTEXT_LABEL).forEach(function (k) {
      if (v[k] !== undefined && v[k] !== null && v[k] !== "") merged[k] = v[k];
    });
    Object.keys(ctx || {}).forEach(function (k) {
      if (!SKIP_CONTEXT[k] && ctx[k] !== undefined && ctx[k] !== null && ctx[k] !== "") merged[k] = ctx[k];
    });
    var items = [];
    Object.keys(merged).forEach(function (k) {
      var val = merged[k];
      if (k === "language") { items.push([CONTEXT_LABEL[k], String(val).toUpperCase()]); return; }
      if (k === "party_size") { if (Number(val) > 1) items.push([CONTEXT_LABEL[k], String(val)]); return; }
      if (k === "assignment_reason") {
        if (!QUIET_REASONS[val]) items.push([CONTEXT_LABEL[k], humanize(String(val))]);
        return;
      }
      if (/_at$/.test(k)) return; // times are shown by the timer
      var text = plain(val);
      if (text) items.push([CONTEXT_LABEL[k] || humanize(k), text]);
    });
    return items;
  }

  function renderContext(card, v) {
    var items = contextItems(v, contexts.get(card.id));
    var sig = JSON.stringify(items);
    if (card.contextSig === sig) return;
    card.contextSig = sig;
    card.context.textContent = "";
    card.context.hidden = !items.length;
    items.forEach(function (it) {
      var row = el("div", "ctx-row");
      row.appendChild(el("dt", null, it[0]));
      row.appendChild(el("dd", null, it[1]));
      card.context.appendChild(row);
    });
  }

  function humanize(k) {
    var s = String(k).replace(/[_-]+/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  function plain(val, depth) {
    depth = depth || 0;
    if (val === null || val === undefined || val === "") return "";
    if (typeof val === "string" || typeof val === "number") return String(val);
    if (typeof val === "boolean") return val ? "yes" : "no";
    if (Array.isArray(val)) {
      if (depth > 1) return "";
      return val.map(function (x) { return plain(x, depth + 1); }).filter(Boolean).slice(0, 5).join("; ");
    }
    if (typeof val === "object" && depth < 2) {
      return Object.keys(val).map(function (k) {
        var p = plain(val[k], depth + 1);
        return p ? humanize(k) + ": " + p : "";
      }).filter(Boolean).join(", ");
    }
    return "";
  }

  function renderCard(card, v) {
    var mine = isMine(v);
    var waiting = v.status === "waiting";
    var age = now() - (ms(v.arrived_at) || now());
    var overdue = waiting && (escalated.has(card.id) || age >= escalateMs);
    var alertKind = mine && waiting ? "mine" : (overdue ? "team" : "");
    card.root.setAttribute("data-status", v.status);
    card.root.setAttribute("data-mine", mine ? "true" : "false");
    if (alertKind) card.root.setAttribute("data-alert", alertKind);
    else card.root.removeAttribute("data-alert");

    var kicker = "";
    var suffix = "";
    if (mine && waiting) { suffix = " is here for you"; kicker = "New guest"; }
    else if (alertKind === "team") kicker = "Still waiting — can you step in?";
    setText(card.kicker, kicker);
    card.kicker.hidden = !kicker;
    setText(card.name, nameOf(v));
    setText(card.suffix, suffix);
    setText(card.badge, STATUS_LABEL[v.status] || v.status);
    card.badge.setAttribute("data-status", v.status);

    var parts = [];
    parts.push(v.host && v.host.name ? "Host: " + v.host.name + (mine ? " (you)" : "") : "No host assigned");
    if (v.acknowledged_by && v.acknowledged_by.name && (!v.host || key(v.acknowledged_by.id) !== key(v.host.id))) {
      parts.push((v.status === "greeted" ? "Greeted by " : "Seen by ") + v.acknowledged_by.name +
        (key(v.acknowledged_by.id) === ME.id ? " (you)" : ""));
    }
    setText(card.meta, parts.join(" · "));
    renderContext(card, v);
    renderActions(card, v);
    renderTimer(card, v);
  }

  function renderTimer(card, v) {
    var arrived = ms(v.arrived_at);
    if (arrived === null) { card.timer.hidden = true; return; }
    card.timer.hidden = false;
    var label;
    var value;
    if (v.status === "greeted" && ms(v.greeted_at) !== null) {
      label = "greeted after ";
      value = clock(ms(v.greeted_at) - arrived);
    } else {
      label = "waiting ";
      value = clock(now() - arrived);
    }
    setText(card.timerLabel, label);
    setText(card.timerValue, value);
    var overdue = v.status === "waiting" && now() - arrived >= escalateMs;
    card.timer.classList.toggle("overdue", overdue);
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function place(container, list) {
    list.forEach(function (v, i) {
      var card = cards.get(key(v.id)) || buildCard(v);
      renderCard(card, v);
      var at = container.children[i];
      if (at !== card.root) container.insertBefore(card.root, at || null);
    });
    while (container.children.length > list.length) {
      var extra = container.children[container.children.length - 1];
      container.removeChild(extra);
    }
  }

  function render() {
    var all = sortVisits(Array.from(visits.values()));
    var mine = all.filter(isMine);
    var team = all.filter(function (v) { return !isMine(v); });
    // Drop cards of visits that are gone first, so they are not moved around.
    cards.forEach(function (card, id) {
      if (!visits.has(id)) {
        if (card.errorTimer) clearTimeout(card.errorTimer);
        if (card.root.parentNode) card.root.parentNode.removeChild(card.root);
        cards.delete(id);
      }
    });
    // A card that changes section must leave the old one before it is placed.
    mine.forEach(function (v) { var c = cards.get(key(v.id)); if (c && c.root.parentNode === teamList) teamList.removeChild(c.root); });
    team.forEach(function (v) { var c = cards.get(key(v.id)); if (c && c.root.parentNode === mineList) mineList.removeChild(c.root); });
    place(mineList, mine);
    place(teamList, team);
    $("mine-empty").hidden = mine.length > 0;
    $("team-empty").hidden = team.length > 0;
    setText($("mine-count"), mine.length ? String(mine.length) : "");
    setText($("team-count"), team.length ? String(team.length) : "");
    updateTitle();
  }

  function updateTitle() {
    var waiting = 0;
    visits.forEach(function (v) { if (v.status === "waiting") waiting++; });
    var title = (waiting ? "(" + waiting + " waiting) " : "") + BASE_TITLE;
    if (document.title !== title) document.title = title;
  }

  function tick() {
    cards.forEach(function (card, id) {
      var v = visits.get(id);
      if (!v) return;
      renderTimer(card, v);
      // Overdue state changes with time alone.
      var overdue = v.status === "waiting" && (escalated.has(id) || now() - (ms(v.arrived_at) || now()) >= escalateMs);
      var want = isMine(v) && v.status === "waiting" ? "mine" : (overdue ? "team" : null);
      if ((card.root.getAttribute("data-alert") || null) !== want) renderCard(card, v);
    });
    // Keep ringing, gently spaced, while a guest of mine is still unacknowledged.
    var ringing = false;
    visits.forEach(function (v) {
      if (v.status === "waiting" && (isMine(v) || escalated.has(key(v.id)))) ringing = true;
    });
    if (ringing && Date.now() - lastChime >= REPEAT_CHIME_MS) chime(false);
    var cutoff = Date.now() - 10 * 60 * 1000;
    closed.forEach(function (t, id) { if (t < cutoff) closed.delete(id); });
  }

  // ---------------------------------------------------------------- actions
  function setBusy(card, busy) {
    card.busy = busy;
    card.root.setAttribute("aria-busy", busy ? "true" : "false");
    var buttons = card.actions.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
  }

  function showCardError(card, message) {
    if (card.errorTimer) clearTimeout(card.errorTimer);
    card.error.textContent = message;
    card.error.hidden = false;
    card.errorTimer = setTimeout(function () {
      card.error.hidden = true;
      card.error.textContent = "";
      card.errorTimer = null;
    }, ERROR_SHOW_MS);
  }

  function request(method, url, body) {
    var opts = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (res.ok && data) return data;
        var err = (data && data.error) || { code: "http_" + res.status, message: "The server answered " + res.status + "." };
        err.status = res.status;
        return { error: err };
      });
    }, function () {
      return { error: { code: "network", message: "No connection to the server. Please try again." } };
    });
  }

  function acknowledgeViaSocket(id, rawId) {
    return new Promise(function (resolve) {
      if (!socket || !socket.connected) {
        resolve(request("POST", "/api/v1/visits/" + encodeURIComponent(id) + "/acknowledge", {}));
        return;
      }
      socket.timeout(8000).emit("visit.acknowledge", { visit_id: rawId }, function (err, answer) {
        if (err || !answer) {
          resolve(request("POST", "/api/v1/visits/" + encodeURIComponent(id) + "/acknowledge", {}));
        } else {
          resolve(answer);
        }
      });
    });
  }

  function act(card, action) {
    if (card.busy) return;
    var v = visits.get(card.id);
    if (!v) return;
    initAudio(); // any tap is a chance to unlock sound again
    setBusy(card, true);
    var p;
    if (action === "acknowledge") {
      p = acknowledgeViaSocket(card.id, v.id);
    } else {
      var body = {};
      if (action === "complete" && card.note && card.note.value.trim()) body.note = card.note.value.trim();
      p = request("POST", "/api/v1/visits/" + encodeURIComponent(card.id) + "/" + action, body);
    }
    p.then(function (answer) {
      setBusy(card, false);
      if (answer && answer.visit) {
        upsert(answer.visit);
        render();
        return;
      }
      var err = (answer && answer.error) || {};
      if (err.status === 401 || err.code === "unauthorized") showBanner("You are signed out.", true);
      showCardError(card, err.message || "That did not work. Please try again.");
      if (err.status === 409 || err.code === "conflict" || err.status === 404) refreshVisit(card.id);
    });
  }

  function refreshVisit(id) {
    request("GET", "/api/v1/visits/" + encodeURIComponent(id)).then(function (answer) {
      if (answer && answer.visit) { upsert(answer.visit); render(); }
    });
  }

  // ---------------------------------------------------------------- connection
  function setConn(stateName, text) {
    conn.setAttribute("data-state", stateName);
    setText(connText, text);
  }

  function showBanner(text, withLogin) {
    banner.textContent = text;
    if (withLogin) {
      banner.appendChild(document.createTextNode(" "));
      var a = el("a", null, "Sign in again");
      a.href = "/board/login";
      banner.appendChild(a);
    }
    banner.hidden = false;
  }

  function hideBanner() { banner.hidden = true; banner.textContent = ""; }

  function connect() {
    if (typeof window.io !== "function") {
      setConn("offline", "offline — live updates unavailable");
      return;
    }
    setConn("connecting", "connecting…");
    socket = window.io({ auth: { as: "host" } });
    socket.on("connect", function () {
      live = true;
      hideBanner();
      setConn("live", "live");
      if (presence !== "available") sendPresence(); // say it again after every (re)connect
    });
    socket.on("disconnect", function (reason) {
      live = false;
      setConn("reconnecting", "reconnecting…");
      if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 3000);
    });
    socket.on("connect_error", function () {
      live = false;
      if (!socket.active) {
        // The server refused us: most likely the sign-in has ended.
        setConn("offline", "signed out");
        showBanner("This board is not signed in any more.", true);
        setTimeout(function () { socket.connect(); }, 10000);
      } else {
        setConn("reconnecting", "reconnecting…");
      }
    });
    socket.io.on("reconnect_attempt", function () { setConn("reconnecting", "reconnecting…"); });
    socket.on("board.snapshot", function (p) {
      applySnapshot(p && p.visits, p && p.server_time);
    });
    socket.on("visit.arrived", function (p) {
      if (!p || !p.visit) return;
      if (p.context && typeof p.context === "object") contexts.set(key(p.visit.id), p.context);
      upsert(p.visit);
      alertFor(p.visit);
      render();
    });
    socket.on("visit.updated", function (p) {
      if (p && p.visit && upsert(p.visit)) render();
    });
    socket.on("visit.escalated", function (p) {
      if (!p || !p.visit) return;
      upsert(p.visit);
      escalate(p.visit);
      render();
    });
  }

  function poll() {
    // Fallback while the live connection is down: the open list over HTTP.
    if (live || !main || main.hidden) return;
    request("GET", "/api/v1/visits?status=open").then(function (answer) {
      if (!live && answer && Array.isArray(answer.visits)) applySnapshot(answer.visits, null);
      else if (answer && answer.error && answer.error.status === 401) showBanner("You are signed out.", true);
    });
  }

  // ---------------------------------------------------------------- presence
  var PRESENCE_KEY = "gastgeber.board.presence";
  var presenceBox = $("presence");
  var presenceButtons = Array.prototype.slice.call(presenceBox.querySelectorAll("[data-presence]"));
  var presence = "available";
  try { presence = window.sessionStorage.getItem(PRESENCE_KEY) === "away" ? "away" : "available"; } catch (e) { /* private mode */ }

  function showPresence() {
    presenceButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-presence") === presence ? "true" : "false");
    });
  }

  function sendPresence() {
    if (!socket || !socket.connected) return;
    var wanted = presence;
    socket.timeout(8000).emit("host.presence", { status: wanted }, function (err, answer) {
      if (err || !answer || answer.error) {
        showBanner("Could not change your status: " + ((answer && answer.error && answer.error.message) || "no answer") + ".", false);
        return;
      }
      if (answer.status && answer.status !== presence && wanted === presence) {
        presence = answer.status === "away" ? "away" : "available";
        showPresence();
      }
    });
  }

  presenceButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      presence = b.getAttribute("data-presence");
      try { window.sessionStorage.setItem(PRESENCE_KEY, presence); } catch (e) { /* private mode */ }
      showPresence();
      sendPresence();
    });
  });
  showPresence();

  // ---------------------------------------------------------------- start
  startButton.addEventListener("click", function () {
    initAudio();
    chime(true); // a soft confirmation that sound works
    if ("Notification" in window && Notification.permission === "default") {
      try {
        var asked = Notification.requestPermission();
        if (asked && typeof asked.catch === "function") asked.catch(function () { /* ignored */ });
      } catch (e) { /* old Safari */ }
    }
    startPanel.hidden = true;
    main.hidden = false;
    presenceBox.hidden = false;
    root.setAttribute("data-started", "true");
    connect();
    setInterval(tick, 1000);
    setInterval(poll, POLL_MS);
    var first = main.querySelector("h2");
    if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
  });
  document.addEventListener("pointerdown", function () { if (audio && audio.state === "suspended") audio.resume(); }, { passive: true });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) notifications.forEach(function (_, id) { closeNotification(id); });
  });
})();
