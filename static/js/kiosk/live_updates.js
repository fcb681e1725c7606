/* Following the current visit: live over Socket.IO (as "kiosk"), and by asking
 * over HTTP every few seconds while the socket is down.
 *
 * Only the current customer's own visit is followed (matched by id); others are
 * ignored. An update that arrives before our check-in's answer is kept aside
 * (never shown) in case it turns out to be ours. An abandoned visit starts over.
 * The socket also carries the kiosk's heartbeat (its last contact, for managers) and
 * `kiosk.unpaired`, which sends the tablet back to the pairing screen (unpaired.js).
 */
import { statusRank as rank } from "../common/visit_status.js";
import { progress } from "./progress.js";
import { keepConnected, socketIoLoaded } from "../common/live_socket.js";
import { on, emit } from "../common/events.js";
import { state, root, STATUS_CHANGED, START_OVER, UNPAIRED } from "./state.js";
import { request } from "./api.js";
import { isUnpaired, showPairing } from "./unpaired.js";

var HEARTBEAT_MS = 60000; // the server notes the kiosk's last contact at most once a minute

var recent = {}; // visit id -> {visit, at}; updates that came before our POST answer
var socket = null;
var socketUp = false;

export function earlyUpdateFor(visitId) { return recent[String(visitId)]; }
export function forgetEarlyUpdates() { recent = {}; }

function onVisit(v) {
  if (!v || v.id === undefined || v.id === null) return;
  var cur = state.current;
  if (!cur) return;
  if (!cur.visit) {
    // Our POST is still on its way; keep the update (never shown) in case it is ours.
    recent[String(v.id)] = { visit: v, at: Date.now() };
    return;
  }
  if (String(v.id) !== String(cur.visit.id)) return; // someone else's visit: ignore
  if (progress(v) < progress(cur.visit)) return; // stale
  if (v.status === "abandoned") { emit(START_OVER); return; }
  cur.visit = v;
  emit(STATUS_CHANGED);
}

function refreshCurrent() {
  var cur = state.current;
  if (!cur || !cur.visit || rank(cur.visit) >= 3) return;
  var id = cur.visit.id;
  request("GET", "/api/v1/visits/" + encodeURIComponent(id)).then(function (res) {
    if (res.ok && res.data && res.data.visit) onVisit(res.data.visit); // else: the next poll
  });
}

export function connectSocket() {
  if (!socketIoLoaded()) return;
  socket = window.io({ auth: { as: "kiosk" } });
  var down = function () { socketUp = false; root.setAttribute("data-live", "false"); };
  keepConnected(socket, {
    up: function () {
      if (isUnpaired()) { socket.disconnect(); return; }
      socketUp = true;
      root.setAttribute("data-live", "true"); // #kiosk[data-live]: whether live updates flow
      heartbeat();
      refreshCurrent(); // catch up with anything missed while away
    },
    down: down,
    refused: function () { // the server refuses this tablet's credential: it was unpaired
      down();
      showPairing();
    },
    failed: down
  }, 5000);
  socket.on("visit.updated", function (payload) {
    if (payload && payload.visit) onVisit(payload.visit);
  });
  socket.on("kiosk.unpaired", showPairing);
  on(UNPAIRED, function () { socket.disconnect(); down(); });
  setInterval(function () { if (socketUp) heartbeat(); }, HEARTBEAT_MS);
}

// "Still here": the manager's kiosk list shows each kiosk's last contact.
function heartbeat() {
  socket.emit("kiosk.heartbeat", {}, function (answer) {
    if (answer && answer.error && answer.error.code === "unauthorized") showPairing();
  });
}

// Every few seconds: forget old early updates; poll while the socket is down.
export function tick() {
  var now = Date.now();
  Object.keys(recent).forEach(function (id) {
    if (now - recent[id].at > 60000) delete recent[id];
  });
  if (!socketUp && !isUnpaired()) refreshCurrent();
}
