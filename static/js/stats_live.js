/* Gastgeber live floor view — a wall screen for managers.
 *
 *  - board.snapshot (on every connect and reconnect) replaces the whole state:
 *    open visits, the team and the server's clock (timers are corrected by it).
 *  - visit.updated upserts a visit (closed ones leave the screen) and refreshes
 *    today's figures from /api/v1/stats, debounced; team.updated changes the team;
 *    visit.escalated marks a guest as escalated.
 *  - Customers' names only if live_config.show_names; otherwise "Guest 1, 2, 3…"
 *    in arrival order. Words from the catalogues (stats_texts.js), the clock via Intl in
 *    the page's language. All text goes through textContent.
 */
import { byId, el, readJsonScript } from "./common/dom.js";
import { request } from "./common/http.js";
import { parseTime as ms, mmss } from "./common/time.js";
import { LANG, number, percent, secs, t } from "./stats_texts.js";
import { serverNow as now, syncServerClock } from "./common/server_clock.js";
import { visitKey as key, isOpen, statusRank } from "./common/visit_status.js";
import { keepConnected, socketIoLoaded } from "./common/live_socket.js";
import { mergeTeam } from "./common/team_changes.js";

var CONFIG = readJsonScript("live-config") || {};
var SHOW_NAMES = CONFIG.show_names === true;
var ZONE = CONFIG.timezone || undefined;
var ACK_TARGET = (Number(CONFIG.acknowledge_target_seconds) || 30) * 1000;
var GREET_TARGET = (Number(CONFIG.greet_target_seconds) || 120) * 1000;
var STATS_DEBOUNCE_MS = 2000;
var STATS_REFRESH_MS = 5 * 60 * 1000;
var STATUS_RANK = { available: 0, busy: 1, away: 2, off: 3 };
var STATUS_LABEL = { available: t("live_available"), busy: t("live_busy"), away: t("live_away"), off: t("live_off") };

var list = byId("waiting-list");
var empty = byId("waiting-empty");
var count = byId("waiting-count");
var served = byId("served-line");
var teamList = byId("team-list");
var team = [];  // the members shown: the snapshot's team, then team.updated changes folded in
var teamEmpty = byId("team-empty");
var availableCount = byId("available-count");
var conn = byId("conn");
var connText = byId("conn-text");
var clockBox = byId("live-clock");

var visits = new Map(); // id -> open Visit
var escalated = new Set(); // ids the server escalated to managers
var rows = new Map(); // id -> {li, name, meta, timer, tag}
var statsTimer = null;
var shownDate = null;

function isWaiting(v) { return v && (v.status === "waiting" || v.status === "acknowledged"); }

function format(locale, options) {
  try {
    return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: ZONE }, options));
  } catch (e) { // an unknown zone: the browser's own
    return new Intl.DateTimeFormat(locale, options);
  }
}

function parts(date, options) {
  var out = {};
  format("en-GB", options).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
  return out;
}

// The site's calendar day, YYYY-MM-DD: the stats API reads a bare date as local midnight.
function siteToday() {
  var p = parts(new Date(now()), { year: "numeric", month: "2-digit", day: "2-digit" });
  return p.year + "-" + p.month + "-" + p.day;
}

// The site's time of day, as the reader's language writes it.
function siteClock() {
  return format(LANG, { hour: "2-digit", minute: "2-digit" }).format(new Date(now()));
}

// ---------------------------------------------------------------- connection
function setConn(state, text) {
  conn.setAttribute("data-state", state);
  connText.textContent = text;
}

// ---------------------------------------------------------------- waiting guests
function upsert(v) {
  if (!v || v.id === undefined || v.id === null) return;
  var id = key(v.id);
  if (!isOpen(v)) {
    visits.delete(id);
    escalated.delete(id);
    return;
  }
  var old = visits.get(id);
  if (old && statusRank(old) > statusRank(v)) return; // a late, older update
  visits.set(id, v);
}

function applySnapshot(p) {
  syncServerClock(p && p.server_time);
  visits = new Map();
  escalated = new Set();
  ((p && p.visits) || []).forEach(upsert);
  if (p && Array.isArray(p.team)) { team = p.team; renderTeam(team); }
  render();
}

function waitingInOrder() {
  var out = [];
  visits.forEach(function (v) { if (isWaiting(v)) out.push(v); });
  out.sort(function (a, b) { return (ms(a.arrived_at) || 0) - (ms(b.arrived_at) || 0) || (a.id - b.id); });
  return out;
}

function rowFor(id) {
  var row = rows.get(id);
  if (row) return row;
  var li = el("li", "live-guest");
  li.setAttribute("data-visit-id", id);
  var main = el("div", "live-guest-main");
  var name = el("span", "live-guest-name");
  var meta = el("span", "live-guest-meta");
  main.appendChild(name);
  main.appendChild(meta);
  var side = el("div", "live-guest-side");
  var tag = el("span", "live-tag");
  var timer = el("span", "live-timer");
  timer.setAttribute("role", "timer");
  side.appendChild(tag);
  side.appendChild(timer);
  li.appendChild(main);
  li.appendChild(side);
  row = { li: li, name: name, meta: meta, timer: timer, tag: tag };
  rows.set(id, row);
  return row;
}

function render() {
  var waiting = waitingInOrder();
  var keep = new Set();
  waiting.forEach(function (v, index) {
    var id = key(v.id);
    keep.add(id);
    var row = rowFor(id);
    var customer = SHOW_NAMES && v.customer && v.customer.name ? String(v.customer.name) : t("live_guest", { n: number(index + 1) });
    row.name.textContent = customer;
    var host = v.host && v.host.name ? t("live_for_host", { name: v.host.name }) : t("live_no_host");
    var seen = v.status === "acknowledged"
      ? t("live_seen_by", { name: v.acknowledged_by && v.acknowledged_by.name ? v.acknowledged_by.name : t("live_a_host") })
      : t("live_not_seen");
    row.meta.textContent = host + " · " + seen;
    var isEscalated = escalated.has(id) || !!v.escalated_at;
    row.li.setAttribute("data-status", v.status);
    row.li.setAttribute("data-escalated", isEscalated ? "true" : "false");
    row.tag.textContent = t(isEscalated ? "live_escalated" : (v.status === "acknowledged" ? "live_seen" : "live_waiting"));
    list.appendChild(row.li); // appending in order also reorders
  });
  rows.forEach(function (row, id) {
    if (!keep.has(id)) { row.li.remove(); rows.delete(id); }
  });
  count.textContent = String(waiting.length);
  empty.hidden = waiting.length > 0;
  var serving = 0;
  visits.forEach(function (v) { if (v.status === "greeted") serving += 1; });
  served.hidden = serving === 0;
  served.textContent = t(serving === 1 ? "live_served_one" : "live_served_many", { n: number(serving) });
  tick();
}

function tick() {
  var t = now();
  rows.forEach(function (row, id) {
    var v = visits.get(id);
    var since = v ? ms(v.arrived_at) : null;
    if (since === null) { row.timer.textContent = "--:--"; return; }
    var waited = t - since;
    row.timer.textContent = mmss(waited);
    var level = waited >= GREET_TARGET ? "over" : (v.status === "waiting" && waited >= ACK_TARGET ? "late" : "ok");
    row.li.setAttribute("data-wait", level);
  });
  if (clockBox) clockBox.textContent = siteClock();
  var today = siteToday();
  if (shownDate !== null && today !== shownDate) scheduleStats(0);
}

// ---------------------------------------------------------------- team
function renderTeam(members) {
  var sorted = members.slice().sort(function (a, b) {
    var ra = STATUS_RANK[a.status] !== undefined ? STATUS_RANK[a.status] : 9;
    var rb = STATUS_RANK[b.status] !== undefined ? STATUS_RANK[b.status] : 9;
    return ra - rb || String(a.name).localeCompare(String(b.name));
  });
  teamList.textContent = "";
  var available = 0;
  sorted.forEach(function (h) {
    var li = el("li", "live-member");
    li.setAttribute("data-host-id", key(h.id));
    li.setAttribute("data-presence-status", h.status || "off");
    li.appendChild(el("span", "presence-dot"));
    li.appendChild(el("span", "live-member-name", h.name));
    li.appendChild(el("span", "live-member-status", STATUS_LABEL[h.status] || h.status || ""));
    teamList.appendChild(li);
    if (h.status === "available") available += 1;
  });
  teamEmpty.hidden = sorted.length > 0;
  availableCount.textContent = sorted.length ? t("live_free", { free: number(available), total: number(sorted.length) }) : "";
}

// ---------------------------------------------------------------- today's figures
function setStat(id, text, state) {
  var box = byId(id);
  if (!box) return;
  box.querySelector("dd").textContent = text;
  if (state) box.setAttribute("data-state", state); else box.removeAttribute("data-state");
}

function loadStats() {
  statsTimer = null;
  var today = siteToday();
  request("GET", "/api/v1/stats?from=" + encodeURIComponent(today)).then(function (answer) {
    if (!answer.status || !answer.data) { // no answer, or not JSON
      byId("today-updated").textContent = t("live_today_failed");
      return;
    }
    if (!answer.ok) {
      byId("today-updated").textContent = t("live_today_unavailable");
      return;
    }
    var f = answer.data;
    shownDate = today;
    var ack = f.acknowledge_seconds ? f.acknowledge_seconds.p50 : null;
    var greet = f.greet_seconds ? f.greet_seconds.p50 : null;
    setStat("today-visits", number(f.visits));
    setStat("today-within", percent(f.greeted_within_target_pct));
    setStat("today-acknowledge", secs(ack), ack === null ? null : (ack * 1000 <= ACK_TARGET ? "within" : "over"));
    setStat("today-greet", secs(greet), greet === null ? null : (greet * 1000 <= GREET_TARGET ? "within" : "over"));
    setStat("today-abandoned", number(f.abandoned));
    setStat("today-escalated", percent(f.escalated_pct));
    byId("today-updated").textContent = t("live_updated", { time: siteClock() });
  }).catch(function () {
    byId("today-updated").textContent = t("live_today_failed");
  });
}

function scheduleStats(delay) {
  if (statsTimer !== null) clearTimeout(statsTimer);
  statsTimer = setTimeout(loadStats, delay);
}

// ---------------------------------------------------------------- socket
function connect() {
  if (!socketIoLoaded()) {
    setConn("offline", t("live_offline"));
    return;
  }
  setConn("connecting", t("live_connecting"));
  var socket = window.io({ auth: { as: "manager" } });
  var reconnecting = function () { setConn("reconnecting", t("live_reconnecting")); };
  keepConnected(socket, {
    up: function () { setConn("live", t("live_live")); },
    down: reconnecting,
    refused: function () { setConn("offline", t("live_signed_out")); },
    failed: reconnecting,
    retrying: reconnecting
  }, 3000);
  socket.on("board.snapshot", function (p) {
    applySnapshot(p);
    scheduleStats(0);
  });
  socket.on("visit.updated", function (p) {
    if (p && p.visit) { upsert(p.visit); render(); }
    scheduleStats(STATS_DEBOUNCE_MS);
  });
  socket.on("visit.escalated", function (p) {
    if (!p || !p.visit) return;
    upsert(p.visit);
    if (isOpen(p.visit)) escalated.add(key(p.visit.id));
    render();
  });
  socket.on("team.updated", function (p) {
    if (p) { team = mergeTeam(team, p); renderTeam(team); }
  });
}

tick();
scheduleStats(0);
setInterval(tick, 1000);
setInterval(function () { scheduleStats(0); }, STATS_REFRESH_MS);
connect();
