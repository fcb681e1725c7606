/* The board's live connection (Socket.IO, as "host") and keeping its picture right.
 *
 *  - board.snapshot replaces the whole picture on every (re)connect; so does the
 *    answer to board.resync, asked every minute (heals an event lost while the
 *    servers' message queue was down), and the HTTP poll while the socket is down.
 *  - visit.arrived is the alert for this host; its ack is the delivery receipt
 *    (without it the server widens the alert to the team).
 *  - visit.updated upserts by id; visit.escalated asks this board to step in;
 *    team.updated brings the members whose presence changed.
 */
import { visitKey as key, isOpen } from "../common/visit_status.js";
import { request } from "../common/http.js";
import { syncServerClock } from "../common/server_clock.js";
import { keepConnected, socketIoLoaded } from "../common/live_socket.js";
import { byId } from "../common/dom.js";
import { T } from "./page.js";
import { state, isMine, upsert } from "./visits.js";
import { closeNotification } from "./notifications.js";
import { alertFor, escalate } from "./alerts.js";
import { cards } from "./cards.js";
import { render } from "./sections.js";
import { applyTeam } from "./team.js";
import { mergeTeam } from "../common/team_changes.js";
import { loadAppointments, scheduleAppointments } from "./appointments.js";
import { setConn, showBanner, hideBanner } from "./connection_status.js";

var RESYNC_MS = 60 * 1000;
var main = byId("board-main");
var socket = null;
var live = false;

export function currentSocket() { return socket; }

function applySnapshot(list, serverTime, members) {
  syncServerClock(serverTime);
  var next = new Map();
  (list || []).forEach(function (v) {
    if (v && isOpen(v) && v.id !== undefined && v.id !== null) next.set(key(v.id), v);
  });
  state.visits.forEach(function (_, id) { if (!next.has(id)) closeNotification(id); });
  state.visits = next;
  state.closed.clear();
  if (Array.isArray(members)) applyTeam(members);
  [state.contexts, state.escalated].forEach(function (m) {
    Array.from(m.keys()).forEach(function (id) { if (!state.visits.has(id)) m.delete(id); });
  });
  Array.from(state.alerted).forEach(function (id) { if (!state.visits.has(id)) state.alerted.delete(id); });
  // No alert is lost while the board was away: ring for my waiting guests we have not rung for.
  state.visits.forEach(function (v) { if (isMine(v) && v.status === "waiting") alertFor(v); });
  render();
}

function applyPicture(p) {
  if (!p || !Array.isArray(p.visits)) return;
  if (p.contexts && typeof p.contexts === "object") {
    Object.keys(p.contexts).forEach(function (id) { state.contexts.set(key(id), p.contexts[id]); });
  }
  applySnapshot(p.visits, p.server_time, p.team);
}

function onArrived(p, ack) {
  // The ack is the delivery receipt: sent once the alert is on screen. Without
  // it the server widens the alert to the whole team after a few seconds.
  var shown = false;
  try {
    if (p && p.visit) {
      if (p.context && typeof p.context === "object") state.contexts.set(key(p.visit.id), p.context);
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
}

export function connect() {
  if (!socketIoLoaded()) {
    setConn("offline", "offline — live updates unavailable");
    return;
  }
  setConn("connecting", T("connecting", "connecting…"));
  socket = window.io({ auth: { as: "host" } });
  keepConnected(socket, {
    up: function () {
      live = true;
      hideBanner();
      setConn("live", T("live", "live"));
      loadAppointments();
    },
    down: function () {
      live = false;
      setConn("reconnecting", T("reconnecting", "reconnecting…"));
    },
    refused: function () {
      live = false;
      // The server refused us: most likely the sign-in has ended.
      setConn("offline", "signed out");
      showBanner("This board is not signed in any more.", true);
    },
    failed: function () {
      live = false;
      setConn("reconnecting", T("reconnecting", "reconnecting…"));
    },
    retrying: function () { setConn("reconnecting", T("reconnecting", "reconnecting…")); }
  }, 3000);
  socket.on("board.snapshot", applyPicture);
  setInterval(function () {
    if (live) socket.emit("board.resync", {}, applyPicture);
  }, RESYNC_MS);
  socket.on("team.updated", function (p) {
    if (p) applyTeam(mergeTeam(state.team, p));
  });
  socket.on("session.ended", function () { // a new PIN, or deactivated: this board is signed out
    live = false;
    socket.disconnect();
    setConn("offline", "signed out");
    showBanner("This board is not signed in any more.", true);
  });
  socket.on("visit.arrived", onArrived);
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

// Fallback while the live connection is down: the open list over HTTP.
export function poll() {
  if (live || !main || main.hidden) return;
  request("GET", "/api/v1/visits?status=open").then(function (answer) {
    if (!live && answer.ok && answer.data && Array.isArray(answer.data.visits)) applySnapshot(answer.data.visits, null, null);
    else if (answer.status === 401) showBanner("You are signed out.", true);
  });
}
