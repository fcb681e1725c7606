/* Gastgeber staff board — the host's live view of the door.
 *
 *  - "Start" unlocks sound (WebAudio chime, no file) and asks for notifications.
 *  - board.snapshot replaces the whole list on every (re)connect; visit.updated
 *    upserts by id; visit.arrived is the alert for this host (its ack callback is
 *    the delivery receipt: without it the visit escalates to the team);
 *    visit.escalated asks this board to step in for a colleague.
 *  - team.updated (and the snapshot's "team") drive the team strip and this
 *    host's own presence buttons; "busy" is set by the server while serving.
 *  - Cards are keyed by visit id and updated in place (a half-typed note survives).
 *  - Today's appointments of this host are fetched over HTTP; booking one shows
 *    its code large, to tell the customer.
 *  - All text goes through textContent.
 */
(function () {
  "use strict";

  var RANK = { waiting: 0, acknowledged: 1, greeted: 2, completed: 3, abandoned: 3 };
  var RESYNC_MS = 60 * 1000;
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
  // Texts of the page's language, rendered by the server from the catalogues (#board-texts).
  var TEXTS = {};
  try { TEXTS = JSON.parse(document.getElementById("board-texts").textContent) || {}; } catch (e) { TEXTS = {}; }
  function T(k, fallback) { return typeof TEXTS[k] === "string" && TEXTS[k] ? TEXTS[k] : fallback; }
  var ACTION_LABEL = {
    acknowledge: T("acknowledge", "I've seen it"),
    greet: T("greet", "Greeted"),
    complete: T("complete", "Done"),
    abandon: T("abandon", "Left without greeting")
  };
  var ASSIGN_LABEL = {
    dedicated: "their own host",
    appointment: "their appointment",
    language: "speaks their language",
    topic: "knows their topic",
    least_loaded: "fewest guests right now",
    fallback: "nobody was free",
    unassigned: "no host yet"
  };
  var ESCALATION_LABEL = {
    timeout: "not acknowledged in time",
    undelivered: "the alert did not reach their board",
    host_unavailable: "their host is away",
    help_requested: T("help_reason", "asked for help at the kiosk")
  };
  var PRESENCE_LABEL = { available: "available", busy: "busy", away: "away", off: "off" };
  var APPT_STATUS_LABEL = { scheduled: "Scheduled", checked_in: "Checked in", cancelled: "Cancelled" };
  var FEEDBACK_LABEL = { 1: "unhappy", 2: "okay", 3: "happy" };
  var FACE_MOUTH = { 1: "M20 47 q12 -11 24 0", 2: "M21 43 h22", 3: "M19 38 q13 14 26 0" };
  var LANGUAGE_NAME = { de: "German", en: "English", tr: "Turkish", fr: "French", es: "Spanish", it: "Italian",
    pl: "Polish", ar: "Arabic", ru: "Russian", uk: "Ukrainian" };
  var REPEAT_CHIME_MS = 20000;
  var APPOINTMENTS_POLL_MS = 60000;
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
  var stepInList = $("stepin-list");
  var conn = $("conn");
  var connText = $("conn-text");
  var banner = $("board-banner");

  // ---------------------------------------------------------------- state
  var visits = new Map(); // id -> Visit (open ones only)
  var contexts = new Map(); // id -> context from visit.arrived
  var alerted = new Set(); // ids we already rang for
  var escalated = new Map(); // id -> {reason, level}: visits the server asked this board to step in for
  var team = []; // [{id, name, status}] of the site
  var myStatus = null; // this host's status as the team sees it
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
  // A colleague's guest still waiting after the server widened the alert to this board.
  function isStepIn(v) {
    if (!v || isMine(v) || v.status !== "waiting") return false;
    return escalated.has(key(v.id)) || (!!v.escalated_at && myStatus === "available");
  }
  function now() { return Date.now() + clockOffset; }
  function isHelp(v) { return !!(v && v.help_requested); }
  function nameOf(v) {
    if (v && v.customer && v.customer.name) return String(v.customer.name);
    return isHelp(v) ? T("needs_help", "Needs help at the kiosk") : "A guest";
  }
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
      if (!audio) {
        audio = new Ctx();
        if (typeof audio.addEventListener === "function") audio.addEventListener("statechange", renderSound);
      }
      if (audio.state === "suspended") {
        var p = audio.resume();
        if (p && typeof p.then === "function") p.then(renderSound, renderSound);
      }
    } catch (e) { audio = null; }
    renderSound();
  }

  // Sound is "on" only with a running AudioContext; anything else shows the warning.
  var started = false;
  var soundButton = $("sound-off");
  function renderSound() {
    var on = !!(audio && audio.state === "running");
    root.setAttribute("data-sound", !started ? "idle" : (on ? "on" : "off"));
    if (soundButton) soundButton.hidden = !started || on;
  }

  function turnSoundOn() {
    initAudio();
    if (audio && typeof audio.resume === "function") {
      try {
        var p = audio.resume();
        if (p && typeof p.then === "function") p.then(function () { renderSound(); if (audio.state === "running") chime(true); }, renderSound);
      } catch (e) { /* stays off; the warning stays */ }
    }
    renderSound();
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
        body: T("notify_body", "Open the board to respond."),
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

  function arrivalText(v) {
    if (isHelp(v) && !(v.customer && v.customer.name)) return T("announce_help", "Someone at the kiosk needs help");
    return T("announce_arrived", "{name} is here for you").replace("{name}", function () { return nameOf(v); });
  }

  function alertFor(v) {
    var id = key(v.id);
    if (alerted.has(id) || v.status !== "waiting") return;
    alerted.add(id);
    chime(false);
    announce(arrivalText(v));
    notify(v, arrivalText(v));
  }

  function escalate(v, info) {
    var id = key(v.id);
    escalated.set(id, info || {});
    if (isMine(v)) return alertFor(v);
    if (alerted.has(id) || v.status !== "waiting") return;
    alerted.add(id);
    chime(false);
    if (isHelp(v)) {
      announce(arrivalText(v));
      notify(v, arrivalText(v));
      return;
    }
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

  function applySnapshot(list, serverTime, members) {
    var t = ms(serverTime);
    if (t !== null) clockOffset = t - Date.now();
    var next = new Map();
    (list || []).forEach(function (v) {
      if (v && isOpen(v) && v.id !== undefined && v.id !== null) next.set(key(v.id), v);
    });
    visits.forEach(function (_, id) { if (!next.has(id)) closeNotification(id); });
    visits = next;
    closed.clear();
    if (Array.isArray(members)) applyTeam(members);
    [contexts, escalated].forEach(function (m) {
      Array.from(m.keys()).forEach(function (id) { if (!visits.has(id)) m.delete(id); });
    });
    Array.from(alerted).forEach(function (id) { if (!visits.has(id)) alerted.delete(id); });
    // No alert is lost while the board was away: ring for my waiting guests we have not rung for.
    visits.forEach(function (v) { if (isMine(v) && v.status === "waiting") alertFor(v); });
    render();
  }

  // ---------------------------------------------------------------- formatting
  function stepClock(msValue) {
    var s = Math.max(0, Math.floor(msValue / 1000));
    var r = s % 60;
    return Math.floor(s / 60) + ":" + (r < 10 ? "0" : "") + r;
  }

  var ZONE = typeof CONFIG.timezone === "string" && CONFIG.timezone ? CONFIG.timezone : undefined;

  function fmt(iso, options) {
    var t = ms(iso);
    if (t === null) return "";
    var opts = {};
    Object.keys(options).forEach(function (k) { opts[k] = options[k]; });
    if (ZONE) opts.timeZone = ZONE;
    try { return new Intl.DateTimeFormat(undefined, opts).format(new Date(t)); } catch (e) {
      delete opts.timeZone;
      return new Intl.DateTimeFormat(undefined, opts).format(new Date(t));
    }
  }
  function timeOf(iso) { return fmt(iso, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); }
  function dateOf(iso) { return fmt(iso, { day: "numeric", month: "short", year: "numeric" }); }

  function languageName(code) {
    var c = String(code || "").toLowerCase();
    return LANGUAGE_NAME[c] || c.toUpperCase();
  }

  function hostNameById(id) {
    for (var i = 0; i < team.length; i++) if (key(team[i].id) === key(id)) return team[i].name;
    return "";
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
      tags: el("p", "card-tags"),
      context: el("dl", "card-context"),
      history: el("div", "card-history"),
      actions: el("div", "card-actions"),
      ownHost: el("div", "own-host"),
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
    card.root.appendChild(card.tags);
    card.root.appendChild(card.context);
    card.root.appendChild(card.history);
    card.root.appendChild(card.actions);
    card.root.appendChild(card.ownHost);
    card.root.appendChild(card.error);
    buildOwnHost(card);
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

  // Short chips: why this host, whose guest, escalated, returning.
  function tagItems(v, ctx) {
    var tags = [];
    var reason = v.assignment_reason || (ctx && ctx.assignment_reason);
    if (reason) tags.push(["assigned", "Assigned: " + (ASSIGN_LABEL[reason] || humanize(reason).toLowerCase()), reason]);
    var own = v.customer && v.customer.host;
    if (own && own.name && (!v.host || key(own.id) !== key(v.host.id))) {
      tags.push(["own-host", (key(own.id) === ME.id ? "Your" : own.name + "\u2019s") + " guest", ""]);
    }
    if (v.escalated_at) {
      var why = ESCALATION_LABEL[v.escalation_reason] || "";
      tags.push(["escalated", "Escalated to the team" + (why ? " \u2014 " + why : ""), v.escalation_reason || ""]);
    }
    if (ctx) {
      if (ctx.returning) tags.push(["returning", "Returning guest", ""]);
      else tags.push(["first", "First visit", ""]);
    }
    return tags;
  }

  // Rows of what helps the host prepare: from the visit, and from the alert's context.
  function contextItems(v, ctx) {
    ctx = ctx || {};
    var items = [];
    var topic = ctx.topic || v.topic;
    if (topic) items.push(["topic", "Topic", String(topic)]);
    var appt = ctx.appointment || v.appointment;
    if (appt) {
      var when = timeOf(appt.starts_at);
      var text = (when ? when : "") + (appt.reason ? (when ? " \u00b7 " : "") + appt.reason : "");
      items.push(["appointment", "Appointment", text || "yes"]);
      if (appt.notes) items.push(["notes", "Prepare", String(appt.notes)]);
    }
    var lang = ctx.language || v.language;
    if (lang) items.push(["language", "Language", languageName(lang)]);
    var party = Number(ctx.party_size || v.party_size);
    if (party > 1) items.push(["party", "Party", party + " people"]);
    return items;
  }

  function historyItems(ctx) {
    var list = ctx && Array.isArray(ctx.previous_visits) ? ctx.previous_visits : [];
    return list.slice(0, 3).map(function (p) {
      var parts = [];
      var d = dateOf(p.arrived_at);
      if (d) parts.push(d);
      if (p.host && p.host.name) parts.push(p.host.name);
      parts.push(p.status === "abandoned" ? "left before greeting" : (p.status === "completed" ? "completed" : String(p.status || "")));
      return {
        text: parts.join(" \u00b7 "),
        note: p.note ? String(p.note) : "",
        feedback: FEEDBACK_LABEL[p.feedback] || "",
        rating: p.feedback ? String(p.feedback) : ""
      };
    });
  }

  function renderContext(card, v) {
    var ctx = contexts.get(card.id);
    var tags = tagItems(v, ctx);
    var items = contextItems(v, ctx);
    var history = historyItems(ctx);
    var sig = JSON.stringify([tags, items, history]);
    if (card.contextSig === sig) return;
    card.contextSig = sig;

    card.tags.textContent = "";
    card.tags.hidden = !tags.length;
    tags.forEach(function (t) {
      var chip = el("span", "tag tag-" + t[0], t[1]);
      chip.setAttribute("data-tag", t[0]);
      if (t[2]) chip.setAttribute("data-reason", t[2]);
      card.tags.appendChild(chip);
    });

    card.context.textContent = "";
    card.context.hidden = !items.length;
    items.forEach(function (it) {
      var row = el("div", "ctx-row ctx-" + it[0]);
      row.setAttribute("data-context", it[0]);
      row.appendChild(el("dt", null, it[1]));
      row.appendChild(el("dd", null, it[2]));
      card.context.appendChild(row);
    });

    card.history.textContent = "";
    card.history.hidden = !history.length;
    if (history.length) {
      card.history.appendChild(el("h4", "history-title", "Last visits"));
      var ul = el("ul", "history-list");
      history.forEach(function (h) {
        var li = el("li", "history-item");
        li.appendChild(el("span", "history-when", h.text));
        if (h.note) li.appendChild(el("span", "history-note", "\u201c" + h.note + "\u201d"));
        if (h.feedback) {
          var face = el("span", "history-feedback");
          face.setAttribute("data-rating", h.rating);
          face.appendChild(faceIcon(h.rating));
          face.appendChild(el("span", null, h.feedback));
          li.appendChild(face);
        }
        ul.appendChild(li);
      });
      card.history.appendChild(ul);
    }
  }

  // The kiosk's feedback face, small (no emoji font needed).
  function faceIcon(rating) {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 64 64");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "mini-face");
    var parts = [["circle", { cx: 32, cy: 32, r: 28, fill: "none", stroke: "currentColor", "stroke-width": 5 }],
      ["circle", { cx: 22, cy: 25, r: 4.5, fill: "currentColor" }],
      ["circle", { cx: 42, cy: 25, r: 4.5, fill: "currentColor" }],
      ["path", { d: FACE_MOUTH[rating] || FACE_MOUTH[2], fill: "none", stroke: "currentColor", "stroke-width": 5, "stroke-linecap": "round" }]];
    parts.forEach(function (p) {
      var node = document.createElementNS(NS, p[0]);
      Object.keys(p[1]).forEach(function (a) { node.setAttribute(a, String(p[1][a])); });
      svg.appendChild(node);
    });
    return svg;
  }

  function humanize(k) {
    var s = String(k).replace(/[_-]+/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // ---------------------------------------------------------------- own host control
  function buildOwnHost(card) {
    var selectId = "own-host-" + card.id.replace(/[^A-Za-z0-9_-]/g, "_");
    var label = el("label", "own-host-label", "Own host");
    label.setAttribute("for", selectId);
    var select = el("select", "own-host-select");
    select.id = selectId;
    select.setAttribute("data-role", "own-host");
    var save = el("button", "button button-small own-host-save", "Save");
    save.type = "button";
    save.setAttribute("data-action", "own-host");
    var status = el("span", "own-host-status");
    status.setAttribute("role", "status");
    card.ownHost.appendChild(label);
    card.ownHost.appendChild(select);
    card.ownHost.appendChild(save);
    card.ownHost.appendChild(status);
    card.ownSelect = select;
    card.ownSave = save;
    card.ownStatus = status;
    card.ownDirty = false;
    select.addEventListener("change", function () {
      card.ownDirty = true;
      updateOwnSave(card);
    });
  }

  function updateOwnSave(card) {
    var v = visits.get(card.id);
    var current = v && v.customer && v.customer.host ? key(v.customer.host.id) : "";
    card.ownSave.disabled = card.ownBusy || !card.ownSelect.value || card.ownSelect.value === current;
  }

  function renderOwnHost(card, v) {
    var customer = v.customer || {};
    if (customer.id === undefined || customer.id === null || !team.length) { card.ownHost.hidden = true; return; }
    card.ownHost.hidden = false;
    var current = customer.host ? key(customer.host.id) : "";
    var options = team.map(function (h) { return [key(h.id), h.name + (key(h.id) === ME.id ? " (you)" : "")]; });
    if (current && !options.some(function (o) { return o[0] === current; })) options.push([current, customer.host.name]);
    var sig = JSON.stringify([options, current]);
    if (card.ownSig !== sig && document.activeElement !== card.ownSelect) {
      var chosen = card.ownDirty ? card.ownSelect.value : current;
      card.ownSig = sig;
      card.ownSelect.textContent = "";
      if (!current) {
        var none = el("option", null, "\u2014 none yet \u2014");
        none.value = "";
        card.ownSelect.appendChild(none);
      }
      options.forEach(function (o) {
        var opt = el("option", null, o[1]);
        opt.value = o[0];
        card.ownSelect.appendChild(opt);
      });
      card.ownSelect.value = chosen;
      if (card.ownSelect.value !== chosen) { card.ownSelect.value = current; card.ownDirty = false; }
    }
    updateOwnSave(card);
  }

  function saveOwnHost(card) {
    var v = visits.get(card.id);
    if (!v || !v.customer || card.ownBusy) return;
    var hostId = Number(card.ownSelect.value);
    if (!hostId) return;
    var customerId = v.customer.id;
    card.ownBusy = true;
    updateOwnSave(card);
    setText(card.ownStatus, "Saving\u2026");
    request("POST", "/api/v1/customers/" + encodeURIComponent(customerId) + "/host", { host_id: hostId }).then(function (answer) {
      card.ownBusy = false;
      if (answer && answer.customer) {
        card.ownDirty = false;
        // Every open visit of this customer now shows the new own host.
        visits.forEach(function (other, id) {
          if (other.customer && key(other.customer.id) === key(customerId)) {
            var copy = Object.assign({}, other, { customer: Object.assign({}, other.customer, { host: answer.customer.host }) });
            visits.set(id, copy);
          }
        });
        setText(card.ownStatus, "Saved");
        render();
        return;
      }
      setText(card.ownStatus, "");
      updateOwnSave(card);
      var err = (answer && answer.error) || {};
      showCardError(card, err.message || "Could not change the own host. Please try again.");
    });
  }

  // ---------------------------------------------------------------- cards
  function renderCard(card, v) {
    var mine = isMine(v);
    var waiting = v.status === "waiting";
    var stepIn = isStepIn(v);
    var age = now() - (ms(v.arrived_at) || now());
    var overdue = waiting && (stepIn || age >= escalateMs);
    var alertKind = mine && waiting ? "mine" : (overdue ? "team" : "");
    card.root.setAttribute("data-status", v.status);
    card.root.setAttribute("data-mine", mine ? "true" : "false");
    card.root.setAttribute("data-help", isHelp(v) ? "true" : "false");
    card.root.setAttribute("data-escalated", v.escalated_at || escalated.has(card.id) ? "true" : "false");
    if (alertKind) card.root.setAttribute("data-alert", alertKind);
    else card.root.removeAttribute("data-alert");
    if (stepIn) card.root.setAttribute("data-step-in", "true");
    else card.root.removeAttribute("data-step-in");

    var kicker = "";
    if (isHelp(v) && waiting) kicker = T("help_kicker", "Help requested");
    else if (mine && waiting) kicker = "New guest";
    else if (stepIn) kicker = "Can you step in?";
    else if (alertKind === "team") kicker = "Still waiting \u2014 can you step in?";
    setText(card.kicker, kicker);
    card.kicker.hidden = !kicker;
    setText(card.name, nameOf(v));
    renderSuffix(card, v);
    setText(card.badge, STATUS_LABEL[v.status] || v.status);
    card.badge.setAttribute("data-status", v.status);

    var parts = [];
    parts.push(v.host && v.host.name ? "Host: " + v.host.name + (mine ? " (you)" : "") : "No host assigned");
    if (v.acknowledged_by && v.acknowledged_by.name && (!v.host || key(v.acknowledged_by.id) !== key(v.host.id))) {
      parts.push((v.status === "greeted" ? "Greeted by " : "Seen by ") + v.acknowledged_by.name +
        (key(v.acknowledged_by.id) === ME.id ? " (you)" : ""));
    }
    if (stepIn) {
      var info = escalated.get(card.id) || {};
      var why = ESCALATION_LABEL[info.reason || v.escalation_reason];
      if (why) parts.push(why);
    }
    setText(card.meta, parts.join(" \u00b7 "));
    renderContext(card, v);
    renderActions(card, v);
    renderOwnHost(card, v);
    renderTimer(card, v);
  }

  function renderSuffix(card, v) {
    var suffix = "";
    if (isHelp(v) && !(v.customer && v.customer.name)) suffix = "";
    else if (isMine(v) && v.status === "waiting") suffix = " is here for you";
    else if (isStepIn(v)) suffix = " has been waiting " + stepClock(now() - (ms(v.arrived_at) || now()));
    setText(card.suffix, suffix);
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

  function sectionOf(v) { return isMine(v) ? mineList : (isStepIn(v) ? stepInList : teamList); }

  function render() {
    var all = sortVisits(Array.from(visits.values()));
    var mine = all.filter(isMine);
    var stepIn = all.filter(function (v) { return !isMine(v) && isStepIn(v); });
    var others = all.filter(function (v) { return !isMine(v) && !isStepIn(v); });
    // Drop cards of visits that are gone first, so they are not moved around.
    cards.forEach(function (card, id) {
      if (!visits.has(id)) {
        if (card.errorTimer) clearTimeout(card.errorTimer);
        if (card.root.parentNode) card.root.parentNode.removeChild(card.root);
        cards.delete(id);
      }
    });
    // A card that changes section must leave the old one before it is placed.
    all.forEach(function (v) {
      var c = cards.get(key(v.id));
      var target = sectionOf(v);
      if (c && c.root.parentNode && c.root.parentNode !== target) c.root.parentNode.removeChild(c.root);
    });
    place(stepInList, stepIn);
    place(mineList, mine);
    place(teamList, others);
    $("stepin-section").hidden = stepIn.length === 0;
    $("mine-empty").hidden = mine.length > 0;
    $("team-empty").hidden = others.length > 0;
    setText($("stepin-count"), stepIn.length ? String(stepIn.length) : "");
    setText($("mine-count"), mine.length ? String(mine.length) : "");
    setText($("team-count"), others.length ? String(others.length) : "");
    updateTitle();
  }

  var iconLink = document.querySelector('link[rel="icon"]');
  var BASE_ICON = iconLink ? iconLink.getAttribute("href") : "";
  var iconCount = -1;

  function updateTitle() {
    var waiting = 0;
    visits.forEach(function (v) { if (v.status === "waiting") waiting++; });
    var title = (waiting ? "(" + T("title_waiting", "{n} waiting").replace("{n}", String(waiting)) + ") " : "") + BASE_TITLE;
    if (document.title !== title) document.title = title;
    root.setAttribute("data-waiting", String(waiting));
    updateFavicon(waiting);
  }

  // The tab's icon carries the count too: a badge drawn on a canvas, as a data: URL.
  function updateFavicon(count) {
    if (!iconLink || count === iconCount) return;
    iconCount = count;
    if (!count) { iconLink.setAttribute("href", BASE_ICON); iconLink.setAttribute("type", "image/svg+xml"); return; }
    try {
      var size = 64;
      var canvas = document.createElement("canvas");
      canvas.width = size;
      canvas.height = size;
      var g = canvas.getContext("2d");
      g.fillStyle = "#1f6f5c";
      g.beginPath();
      if (typeof g.roundRect === "function") g.roundRect(2, 2, size - 4, size - 4, 14);
      else g.rect(2, 2, size - 4, size - 4);
      g.fill();
      g.fillStyle = "#b4530b";
      g.beginPath();
      g.arc(size - 16, 16, 15, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = "#ffffff";
      g.textAlign = "center";
      g.textBaseline = "middle";
      var label = count > 99 ? "99+" : String(count);
      g.font = "bold " + (label.length > 1 ? 30 : 40) + "px sans-serif";
      g.fillText(label, size / 2 - 4, size / 2 + 6);
      iconLink.setAttribute("type", "image/png");
      iconLink.setAttribute("href", canvas.toDataURL("image/png"));
    } catch (e) { /* the title still counts */ }
  }

  function tick() {
    var moved = false;
    cards.forEach(function (card, id) {
      var v = visits.get(id);
      if (!v) return;
      renderTimer(card, v);
      renderSuffix(card, v);
      if (card.root.parentNode && card.root.parentNode !== sectionOf(v)) moved = true;
      // Overdue state changes with time alone.
      var overdue = v.status === "waiting" && (isStepIn(v) || now() - (ms(v.arrived_at) || now()) >= escalateMs);
      var want = isMine(v) && v.status === "waiting" ? "mine" : (overdue ? "team" : null);
      if ((card.root.getAttribute("data-alert") || null) !== want) renderCard(card, v);
    });
    if (moved) render();
    // Keep ringing, gently spaced, while a guest of mine (or one I was asked to step in for) waits.
    var ringing = false;
    visits.forEach(function (v) {
      if (v.status === "waiting" && (isMine(v) || isStepIn(v))) ringing = true;
    });
    if (ringing && Date.now() - lastChime >= REPEAT_CHIME_MS) chime(false);
    renderSound();
    var cutoff = Date.now() - 10 * 60 * 1000;
    closed.forEach(function (t, id) { if (t < cutoff) closed.delete(id); });
  }

  // ---------------------------------------------------------------- team strip
  function applyTeam(list) {
    team = (list || []).filter(function (h) { return h && h.id !== undefined && h.id !== null; });
    var strip = $("team-strip");
    strip.textContent = "";
    team.forEach(function (h) {
      var status = PRESENCE_LABEL[h.status] ? h.status : "away";
      var li = el("li", "team-member");
      li.setAttribute("data-host-id", key(h.id));
      li.setAttribute("data-presence-status", status);
      if (key(h.id) === ME.id) li.setAttribute("data-me", "true");
      var dot = el("span", "presence-dot");
      dot.setAttribute("aria-hidden", "true");
      li.appendChild(dot);
      li.appendChild(el("span", "team-name", h.name + (key(h.id) === ME.id ? " (you)" : "")));
      li.appendChild(el("span", "team-status", PRESENCE_LABEL[status]));
      strip.appendChild(li);
    });
    var me = team.filter(function (h) { return key(h.id) === ME.id; })[0];
    if (me) {
      myStatus = me.status;
      if (!presencePending) {
        presence = me.status === "away" || me.status === "off" ? me.status : "available";
      }
      showPresence();
    }
    renderBookHosts();
    render();
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
    if (action === "own-host") { saveOwnHost(card); return; }
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

  function applyPicture(p) {
    if (!p || !Array.isArray(p.visits)) return;
    if (p.contexts && typeof p.contexts === "object") {
      Object.keys(p.contexts).forEach(function (id) { contexts.set(key(id), p.contexts[id]); });
    }
    applySnapshot(p.visits, p.server_time, p.team);
  }

  function connect() {
    if (typeof window.io !== "function") {
      setConn("offline", "offline — live updates unavailable");
      return;
    }
    setConn("connecting", T("connecting", "connecting…"));
    socket = window.io({ auth: { as: "host" } });
    socket.on("connect", function () {
      live = true;
      hideBanner();
      setConn("live", T("live", "live"));
      loadAppointments();
    });
    socket.on("disconnect", function (reason) {
      live = false;
      setConn("reconnecting", T("reconnecting", "reconnecting…"));
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
        setConn("reconnecting", T("reconnecting", "reconnecting…"));
      }
    });
    socket.io.on("reconnect_attempt", function () { setConn("reconnecting", T("reconnecting", "reconnecting…")); });
    socket.on("board.snapshot", applyPicture);
    // Now and then ask for the whole picture again: heals an event lost while the
    // servers' message queue was down (the server answers like board.snapshot).
    setInterval(function () {
      if (live) socket.emit("board.resync", {}, applyPicture);
    }, RESYNC_MS);
    socket.on("team.updated", function (p) {
      if (p && Array.isArray(p.hosts)) applyTeam(p.hosts);
    });
    socket.on("visit.arrived", function (p, ack) {
      // The ack is the delivery receipt: sent once the alert is on screen. Without
      // it the server widens the alert to the whole team after a few seconds.
      var shown = false;
      try {
        if (p && p.visit) {
          if (p.context && typeof p.context === "object") contexts.set(key(p.visit.id), p.context);
          upsert(p.visit);
          alertFor(p.visit);
          render();
          if (p.visit.appointment) scheduleAppointments();
          shown = true;
        }
      } catch (e) {
        shown = cards.has(key(p.visit.id));
        if (window.console) window.console.error(e);
      }
      if (typeof ack === "function") ack(shown ? { received: true } : { received: false });
    });
    socket.on("visit.updated", function (p) {
      if (p && p.visit && upsert(p.visit)) render();
    });
    socket.on("visit.escalated", function (p) {
      if (!p || !p.visit) return;
      upsert(p.visit);
      escalate(p.visit, { reason: p.reason, level: p.level, waiting_seconds: p.waiting_seconds });
      render();
    });
  }

  function poll() {
    // Fallback while the live connection is down: the open list over HTTP.
    if (live || !main || main.hidden) return;
    request("GET", "/api/v1/visits?status=open").then(function (answer) {
      if (!live && answer && Array.isArray(answer.visits)) applySnapshot(answer.visits, null, null);
      else if (answer && answer.error && answer.error.status === 401) showBanner("You are signed out.", true);
    });
  }

  // ---------------------------------------------------------------- presence
  // The server keeps the status; the team list tells this board what it is.
  // "busy" is automatic while serving a greeted guest (the chosen status stays available).
  var presenceBox = $("presence");
  var presenceBusy = $("presence-busy");
  var presenceButtons = Array.prototype.slice.call(presenceBox.querySelectorAll("[data-presence]"));
  var presence = "available";
  var presencePending = false;

  function showPresence() {
    presenceButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-presence") === presence ? "true" : "false");
    });
    var shown = myStatus === "busy" && presence === "available" ? "busy" : presence;
    presenceBox.setAttribute("data-status", shown);
    presenceBusy.hidden = shown !== "busy";
  }

  function sendPresence() {
    if (!socket || !socket.connected) {
      showBanner("Not connected — your status will not change until the board is live again.", false);
      return;
    }
    var wanted = presence;
    presencePending = true;
    socket.timeout(8000).emit("host.presence", { status: wanted }, function (err, answer) {
      if (wanted === presence) presencePending = false;
      if (err || !answer || answer.error) {
        showBanner("Could not change your status: " + ((answer && answer.error && answer.error.message) || "no answer") + ".", false);
        return;
      }
      if (answer.status && wanted === presence) {
        presence = answer.status === "away" || answer.status === "off" ? answer.status : "available";
        if (myStatus !== "busy" || presence !== "available") myStatus = presence;
        showPresence();
        render(); // step-in depends on being available
      }
    });
  }

  presenceButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      presence = b.getAttribute("data-presence");
      showPresence();
      sendPresence();
    });
  });
  showPresence();

  // ---------------------------------------------------------------- appointments
  var apptsList = $("appts-list");
  var apptsError = $("appts-error");
  var bookForm = $("book-form");
  var bookDetails = $("book");
  var bookError = $("book-error");
  var bookHost = $("book-host_id");
  var bookStarts = $("book-starts_at");
  var booked = $("booked");
  var apptsTimer = null;
  var apptsLoading = false;
  var apptsAgain = false;

  function scheduleAppointments() {
    if (apptsTimer) clearTimeout(apptsTimer);
    apptsTimer = setTimeout(function () { apptsTimer = null; loadAppointments(); }, 300);
  }

  function loadAppointments() {
    if (apptsLoading) { apptsAgain = true; return; }
    apptsLoading = true;
    request("GET", "/api/v1/appointments?host_id=" + encodeURIComponent(ME.id)).then(function (answer) {
      apptsLoading = false;
      if (answer && Array.isArray(answer.appointments)) {
        apptsError.hidden = true;
        renderAppointments(answer.appointments);
      } else {
        var err = (answer && answer.error) || {};
        apptsError.textContent = "Could not load today's appointments: " + (err.message || "no answer") + ".";
        apptsError.hidden = false;
      }
      if (apptsAgain) { apptsAgain = false; loadAppointments(); }
    });
  }

  function renderAppointments(list) {
    list = list.slice().sort(function (a, b) { return (ms(a.starts_at) || 0) - (ms(b.starts_at) || 0); });
    apptsList.textContent = "";
    list.forEach(function (a) {
      var li = el("li", "appt");
      li.setAttribute("data-appointment-id", key(a.id));
      li.setAttribute("data-status", a.status || "");
      li.appendChild(el("span", "appt-time", timeOf(a.starts_at)));
      var mainPart = el("div", "appt-main");
      mainPart.appendChild(el("strong", "appt-customer", a.customer && a.customer.name ? a.customer.name : "A customer"));
      if (a.reason) mainPart.appendChild(el("span", "appt-reason", a.reason));
      if (a.notes) {
        var notes = el("p", "appt-notes");
        notes.appendChild(el("span", "appt-notes-label", "Prepare: "));
        notes.appendChild(document.createTextNode(a.notes));
        mainPart.appendChild(notes);
      }
      li.appendChild(mainPart);
      var side = el("div", "appt-side");
      var code = el("span", "appt-code-wrap");
      code.appendChild(el("span", "appt-code-label", "Code "));
      code.appendChild(el("span", "appt-code", a.code || ""));
      side.appendChild(code);
      var badge = el("span", "badge appt-status", APPT_STATUS_LABEL[a.status] || humanize(a.status || ""));
      badge.setAttribute("data-status", a.status || "");
      side.appendChild(badge);
      if (a.status === "scheduled") {
        var cancel = el("button", "button button-small button-quiet appt-cancel", "Cancel");
        cancel.type = "button";
        cancel.setAttribute("data-action", "cancel-appointment");
        cancel.addEventListener("click", function () { cancelAppointment(a, cancel); });
        side.appendChild(cancel);
      }
      li.appendChild(side);
      apptsList.appendChild(li);
    });
    var open = list.filter(function (a) { return a.status !== "cancelled"; }).length;
    $("appts-empty").hidden = list.length > 0;
    setText($("appts-count"), open ? String(open) : "");
  }

  function cancelAppointment(a, button) {
    // Two taps: the first asks, the second cancels.
    if (button.getAttribute("data-confirm") !== "true") {
      button.setAttribute("data-confirm", "true");
      button.textContent = "Really cancel?";
      setTimeout(function () {
        if (button.isConnected) { button.removeAttribute("data-confirm"); button.textContent = "Cancel"; }
      }, 4000);
      return;
    }
    button.disabled = true;
    request("POST", "/api/v1/appointments/" + encodeURIComponent(a.id) + "/cancel", {}).then(function (answer) {
      if (answer && answer.error) {
        apptsError.textContent = "Could not cancel: " + (answer.error.message || "no answer") + ".";
        apptsError.hidden = false;
      }
      loadAppointments();
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function localInputValue(date) {
    // "YYYY-MM-DDTHH:MM" in the site's zone if known, else the browser's.
    if (ZONE) {
      try {
        var parts = {};
        new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
          hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
        return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
      } catch (e) { /* fall back to the browser's zone */ }
    }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function defaultStart() {
    // The next quarter hour at least 15 minutes ahead, kept on today.
    var t = new Date(now() + 15 * 60000);
    t.setSeconds(0, 0);
    t.setMinutes(Math.ceil(t.getMinutes() / 15) * 15);
    var today = localInputValue(new Date(now())).slice(0, 10);
    var value = localInputValue(t);
    return value.slice(0, 10) === today ? value : today + "T23:45";
  }

  function renderBookHosts() {
    var chosen = bookHost.value || ME.id;
    var options = team.length ? team : [{ id: ME.id, name: ME.name }];
    var sig = JSON.stringify(options.map(function (h) { return [h.id, h.name]; }));
    if (bookHost.getAttribute("data-sig") === sig) return;
    bookHost.setAttribute("data-sig", sig);
    bookHost.textContent = "";
    options.forEach(function (h) {
      var opt = el("option", null, h.name + (key(h.id) === ME.id ? " (you)" : ""));
      opt.value = key(h.id);
      bookHost.appendChild(opt);
    });
    bookHost.value = chosen;
    if (bookHost.value !== chosen) bookHost.value = ME.id;
  }

  function setBookError(field, message) {
    Array.prototype.forEach.call(bookForm.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
    if (!message) { bookError.hidden = true; bookError.textContent = ""; return; }
    bookError.textContent = message;
    bookError.hidden = false;
    var input = field ? $("book-" + field) : null;
    if (input) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "book-error"); input.focus(); }
  }

  bookDetails.addEventListener("toggle", function () {
    if (bookDetails.open && !bookStarts.value) bookStarts.value = defaultStart();
  });

  bookForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var val = function (name) { var n = $("book-" + name); return n ? n.value.trim() : ""; };
    if (!val("customer_name")) { setBookError("customer_name", "Please enter the customer's name."); return; }
    if (!val("starts_at")) { setBookError("starts_at", "Please choose the date and time."); return; }
    setBookError(null, "");
    var body = { customer_name: val("customer_name"), starts_at: val("starts_at") };
    ["phone", "email", "reason", "notes"].forEach(function (name) { if (val(name)) body[name] = val(name); });
    if (bookHost.value) body.host_id = Number(bookHost.value);
    var submit = $("book-submit");
    submit.disabled = true;
    request("POST", "/api/v1/appointments", body).then(function (answer) {
      submit.disabled = false;
      if (answer && answer.appointment) {
        var a = answer.appointment;
        var who = a.customer && a.customer.name ? a.customer.name : body.customer_name;
        var whenText = dateOf(a.starts_at) + ", " + timeOf(a.starts_at);
        setText($("booked-text"), "Booked: " + who + " \u00b7 " + whenText +
          (a.host && a.host.name ? " \u00b7 with " + a.host.name : "") + ". Tell the customer this code:");
        setText($("booked-code"), a.code || "");
        booked.hidden = false;
        bookForm.reset();
        renderBookHosts();
        bookHost.value = ME.id;
        bookStarts.value = defaultStart();
        loadAppointments();
        return;
      }
      var err = (answer && answer.error) || {};
      var field = err.field === "host_id" ? "host_id" : err.field;
      setBookError(field, err.message || "Could not book the appointment. Please try again.");
    });
  });

  // ---------------------------------------------------------------- start
  // Browser notifications: asked once, on the Start tap, after the start panel explained why.
  var notifyBlocked = $("notify-blocked");
  function renderNotify() {
    var state = "Notification" in window ? Notification.permission : "unsupported";
    root.setAttribute("data-notifications", state);
    if (notifyBlocked) notifyBlocked.hidden = !(started && state === "denied");
  }

  function askNotifications() {
    if (!("Notification" in window) || Notification.permission !== "default") { renderNotify(); return; }
    try {
      var asked = Notification.requestPermission(renderNotify);
      if (asked && typeof asked.then === "function") asked.then(renderNotify, renderNotify);
    } catch (e) { /* old Safari */ }
    renderNotify();
  }

  if (soundButton) soundButton.addEventListener("click", turnSoundOn);

  startButton.addEventListener("click", function () {
    started = true;
    initAudio();
    chime(true); // a soft confirmation that sound works
    askNotifications();
    startPanel.hidden = true;
    main.hidden = false;
    presenceBox.hidden = false;
    root.setAttribute("data-started", "true");
    connect();
    loadAppointments();
    setInterval(tick, 1000);
    setInterval(poll, POLL_MS);
    setInterval(loadAppointments, APPOINTMENTS_POLL_MS);
    var first = main.querySelector("h2");
    if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
  });
  document.addEventListener("pointerdown", function () { if (audio && audio.state === "suspended") audio.resume(); }, { passive: true });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) notifications.forEach(function (_, id) { closeNotification(id); });
  });
})();
