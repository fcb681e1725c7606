/* The customer's own view of their visit (/v/<token>), opened from the kiosk's QR code.
 *
 * The server renders the first Status into #status-initial and the page's texts (in the
 * visit's language) into #status-texts. Live: a Socket.IO connection with
 * auth {status: token} joins only this visit's room and hears `status.updated`
 * ({status}); while it is down, and now and then anyway (the estimate moves with time),
 * the page reads GET /status/<token>. The buttons step out, leave, and rate the visit.
 */
import { byId, readJsonScript, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { socketIoLoaded, keepConnected } from "../common/live_socket.js";

var POLL_LIVE_MS = 30000;
var POLL_OFFLINE_MS = 8000;
var root = byId("status-page");
var token = root.getAttribute("data-token");
var base = "/status/" + encodeURIComponent(token);
var TEXTS = readJsonScript("status-texts") || {};
var current = readJsonScript("status-initial");
var live = false;
var offline = false;

function T(key, values) {
  var text = TEXTS[key] || key;
  Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
  return text;
}

function clock(iso) {
  var lang = document.documentElement.lang || undefined;
  return new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

function headline(s) {
  var host = s.host && s.host.name;
  var who = (s.acknowledged_by && s.acknowledged_by.name) || host;
  if (s.status === "waiting") {
    if (s.alerted === "team") return T("status.waiting_team");
    return s.alerted === "host" && host ? T("status.waiting_host", { host: host }) : T("status.waiting_nobody");
  }
  if (s.status === "acknowledged") return who ? T("status.acknowledged", { name: who }) : T("status.waiting_team");
  if (s.status === "greeted") return who ? T("status.greeted", { name: who }) : T("status.greeted_nobody");
  if (s.status === "completed") return T("kiosk.thanks");
  return T("status.abandoned");
}

function estimateText(range) {
  if (!range) return T("status.estimate_none");
  return T("status.estimate_range", { low: Math.floor(range.low / 60), high: Math.max(1, Math.ceil(range.high / 60)) });
}

function render(s) {
  if (!s) return;
  current = s;
  var waiting = s.status === "waiting" || s.status === "acknowledged";
  root.setAttribute("data-status", s.status);
  setText(byId("status-headline"), headline(s));
  byId("status-facts").hidden = !waiting;
  byId("status-actions").hidden = !waiting;
  if (waiting) {
    setText(byId("status-ahead"), s.ahead ? T("status.ahead_some", { n: s.ahead }) : T("status.ahead_none"));
    setText(byId("status-estimate"), estimateText(s.wait_estimate_seconds));
  }
  var away = byId("status-away");
  away.hidden = !(waiting && s.away_until);
  if (!away.hidden) setText(away, T("status.away_until", { time: clock(s.away_until) }));
  var completed = s.status === "completed";
  byId("status-feedback").hidden = !completed || s.feedback_given;
  byId("status-feedback-done").hidden = !completed || !s.feedback_given;
  renderOffline();
}

function renderOffline() {
  var note = byId("status-error");
  note.hidden = !offline;
  if (offline) setText(note, T("status.offline"));
}

function answered(res) {
  if (res.ok && res.data) { offline = false; render(res.data); return true; }
  offline = res.status === 0;
  if (res.status === 404) { offline = false; render({ status: "abandoned" }); }
  renderOffline();
  return false;
}

function refresh() {
  return request("GET", base, undefined, { timeoutMs: 8000 }).then(answered);
}

function post(path, body) {
  var buttons = Array.prototype.slice.call(root.querySelectorAll("button"));
  buttons.forEach(function (b) { b.disabled = true; });
  return request("POST", base + path, body === undefined ? {} : body, { timeoutMs: 8000 }).then(function (res) {
    buttons.forEach(function (b) { b.disabled = false; });
    if (!answered(res) && res.status !== 0) {
      byId("status-error").hidden = false;
      setText(byId("status-error"), T("status.try_again"));
    }
  });
}

function wireButtons() {
  Array.prototype.forEach.call(root.querySelectorAll("[data-away]"), function (button) {
    button.addEventListener("click", function () { post("/away", { minutes: Number(button.getAttribute("data-away")) }); });
  });
  byId("status-leave").addEventListener("click", function () { post("/leave"); });
  Array.prototype.forEach.call(root.querySelectorAll(".face[data-rating]"), function (face) {
    face.addEventListener("click", function () { post("/feedback", { rating: Number(face.getAttribute("data-rating")) }); });
  });
}

function connect() {
  if (!socketIoLoaded()) return;
  var socket = window.io({ auth: { status: token } });
  socket.on("status.updated", function (message) {
    if (message && message.status) { offline = false; render(message.status); }
  });
  keepConnected(socket, {
    up: function () { live = true; root.setAttribute("data-live", "true"); refresh(); },
    down: function () { live = false; root.setAttribute("data-live", "false"); },
    refused: function () { live = false; root.setAttribute("data-live", "false"); },
    failed: function () { live = false; }
  }, 3000);
}

function poll() {
  var closed = current && (current.status === "abandoned" || (current.status === "completed" && current.feedback_given));
  if (!closed) refresh();
  setTimeout(poll, live ? POLL_LIVE_MS : POLL_OFFLINE_MS);
}

render(current);
wireButtons();
if (document.readyState === "complete") connect();
else window.addEventListener("load", connect);
setTimeout(poll, POLL_OFFLINE_MS);
