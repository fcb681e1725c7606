/* The offline queue: a check-in is never lost.
 *
 * Every check-in waits in localStorage ("gastgeber.kiosk.pending.v1") and is
 * resent with the same client_id (the idempotency key) until the server answers,
 * with growing pauses, even across reloads; entries older than 15 minutes are
 * dropped. The server's answer goes out on the bus: CHECKIN_ACCEPTED, or
 * CHECKIN_REJECTED for one that can never succeed (a 4xx about the form), both
 * for the check-in flow (checkin.js); everything else is retried.
 */
import { emit } from "../common/events.js";
import { CONFIG } from "./config.js";
import { state, CHECKIN_ACCEPTED, CHECKIN_REJECTED, STATUS_CHANGED } from "./state.js";
import { request } from "./api.js";

var STORAGE_KEY = "gastgeber.kiosk.pending.v1";
var MAX_PENDING_AGE_MS = 15 * 60 * 1000;
var pending = {}; // client_id -> {client_id, body, created, attempt, timer, inflight}

function readStored() {
  try {
    var list = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
    return Array.isArray(list) ? list : [];
  } catch (e) {
    return [];
  }
}

// The queue as it is now, with which entry is on screen (restored after a reload).
export function writeStored() {
  var curId = state.current ? state.current.client_id : null;
  var list = Object.keys(pending).map(function (id) {
    var p = pending[id];
    return { client_id: p.client_id, body: p.body, created: p.created, current: p.client_id === curId };
  });
  try {
    if (list.length) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch (e) { /* storage full or disabled: we still retry from memory */ }
}

export function addPending(entry) {
  pending[entry.client_id] = entry;
  writeStored();
}

function dropPending(clientId) {
  var p = pending[clientId];
  if (p && p.timer) clearTimeout(p.timer);
  delete pending[clientId];
  writeStored();
}

// Whether this check-in is still being resent (the "still connecting" hint).
export function isRetrying(clientId) {
  return !!(pending[clientId] && pending[clientId].attempt > 0);
}

function isRetryable(status) {
  return status >= 500 || status === 0 || [401, 403, 404, 408, 425, 429].indexOf(status) >= 0;
}

export function send(entry) {
  if (!pending[entry.client_id] || entry.inflight) return;
  entry.inflight = true;
  if (entry.timer) { clearTimeout(entry.timer); entry.timer = null; }
  request("POST", "/api/v1/checkins", entry.body).then(function (res) {
    entry.inflight = false;
    if (!pending[entry.client_id]) return;
    if (res.ok && res.data && res.data.visit) {
      dropPending(entry.client_id);
      emit(CHECKIN_ACCEPTED, { entry: entry, visit: res.data.visit });
    } else if (!res.ok && !isRetryable(res.status)) {
      dropPending(entry.client_id);
      emit(CHECKIN_REJECTED, { entry: entry, res: res });
    } else {
      var retryAfter = res.headers && Number(res.headers.get("Retry-After"));
      scheduleRetry(entry, isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
        res.status === 401 || res.status === 403 || res.status === 404);
    }
  });
}

function scheduleRetry(entry, atLeastMs, slow) {
  if (!pending[entry.client_id]) return;
  entry.attempt = (entry.attempt || 0) + 1;
  var base = Math.min(15000, 1000 * Math.pow(2, entry.attempt - 1));
  if (slow) base = Math.max(base, 10000);
  var delay = Math.max(atLeastMs || 0, base * (0.8 + Math.random() * 0.4));
  entry.timer = setTimeout(function () { entry.timer = null; send(entry); }, delay);
  emit(STATUS_CHANGED); // the "still connecting" hint
}

// Back online: try everything waiting at once.
export function retryAllNow() {
  Object.keys(pending).forEach(function (id) {
    var p = pending[id];
    if (!p.inflight) send(p);
  });
}

export function sendAllPending() {
  Object.keys(pending).forEach(function (id) { send(pending[id]); });
}

// After a reload: take the stored queue back; the one that was on screen comes back too.
export function restorePending() {
  var now = Date.now();
  readStored().forEach(function (item) {
    if (!item || !item.client_id || !item.body) return;
    if (typeof item.body.name !== "string" && item.body.help !== true) return;
    if (!(now - item.created < MAX_PENDING_AGE_MS)) return;
    pending[item.client_id] = { client_id: item.client_id, body: item.body, created: item.created, attempt: 0 };
    if (item.current && now - item.created < CONFIG.idle_seconds * 1000) {
      state.current = {
        client_id: item.client_id,
        visit: null,
        help: item.body.help === true,
        form: {
          name: item.body.name || "",
          code: item.body.appointment_code || "",
          contact: item.body.phone || item.body.email || "",
          textMe: item.body.text_me === true
        },
        feedback: null
      };
      if (item.body.language && CONFIG.languages.indexOf(item.body.language) >= 0) state.lang = item.body.language;
    }
  });
  writeStored();
}
