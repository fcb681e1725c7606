/* Keeping the board's picture (state.js) right with what the server says.
 *
 *  - board.snapshot replaces the whole picture on every (re)connect, "Done today"
 *    included; so does the answer to board.resync (socket.js), and the HTTP poll
 *    while the socket is down (open visits only: "Done today" stays as it was).
 *    No alert is lost while the board was away: it rings for my waiting guests.
 *  - visit.arrived is the alert for this host; its ack is the delivery receipt
 *    (without it the server widens the alert to the team).
 *  - visit.updated upserts by id; visit.escalated asks this board to step in;
 *    team.updated brings the members whose presence changed; alert.drill is a
 *    drill (drill.js), answered with what really rang here.
 * SERVER_EVENTS is what socket.js's connect() is given.
 */
import { visitKey as key } from "../common/visit_status.js";
import { request } from "../common/http.js";
import { syncServerClock } from "../common/server_clock.js";
import { mergeTeam } from "../common/team_changes.js";
import { byId } from "../common/dom.js";
import { T } from "./page.js";
import { state, isMine, upsert, replaceVisits, setContext, setTeam, markEscalated, changed } from "./state.js";
import { alertFor, escalate } from "./alerts.js";
import { cards } from "./cards.js";
import { scheduleAppointments } from "./appointments.js";
import { showBanner } from "./connection_status.js";
import { isLive } from "./socket.js";
import { onDrill } from "./drill.js";

var main = byId("board-main");

function applySnapshot(list, serverTime, members, contexts, done) {
  syncServerClock(serverTime);
  replaceVisits(list, contexts, done);
  if (Array.isArray(members)) setTeam(members);
  state.visits.forEach(function (v) { if (isMine(v) && v.status === "waiting") alertFor(v); });
  changed();
}

function onSnapshot(p) {
  if (!p || !Array.isArray(p.visits)) return;
  applySnapshot(p.visits, p.server_time, p.team, p.contexts, p.done_today);
}

function onArrived(p, ack) {
  // The ack is the delivery receipt: sent once the alert is on screen. Without
  // it the server widens the alert to the whole team after a few seconds.
  var shown = false;
  try {
    if (p && p.visit) {
      if (p.context && typeof p.context === "object") setContext(p.visit.id, p.context);
      upsert(p.visit);
      alertFor(p.visit);
      changed();
      if (p.visit.appointment) scheduleAppointments();
      shown = true;
    }
  } catch (e) {
    shown = cards.has(key(p.visit.id));
    if (window.console) window.console.error(e);
  }
  if (typeof ack === "function") ack(shown ? { received: true } : { received: false });
}

// Its ack is the receipt too: a host whose board showed the escalation needs no message
// on their "unconfirmed" channels.
function onEscalated(p, ack) {
  var shown = false;
  try {
    if (p && p.visit) {
      upsert(p.visit);
      markEscalated(p.visit.id, { reason: p.reason, level: p.level, waiting_seconds: p.waiting_seconds });
      escalate(p.visit);
      changed();
      shown = true;
    }
  } catch (e) {
    if (window.console) window.console.error(e);
  }
  if (typeof ack === "function") ack({ received: shown });
}

export var SERVER_EVENTS = {
  "board.snapshot": onSnapshot,
  "team.updated": function (p) { if (p) setTeam(mergeTeam(state.team, p)); },
  "visit.arrived": onArrived,
  "visit.updated": function (p) { if (p && p.visit && upsert(p.visit)) changed(); },
  "visit.escalated": onEscalated,
  "alert.drill": onDrill // "Test my alert": the answer says what really happened on this board
};

// Fallback while the live connection is down: the open list over HTTP.
export function poll() {
  if (isLive() || !main || main.hidden) return;
  request("GET", "/api/v1/visits?status=open").then(function (answer) {
    if (!isLive() && answer.ok && answer.data && Array.isArray(answer.data.visits)) applySnapshot(answer.data.visits, null, null);
    else if (answer.status === 401) showBanner(T("signed_out"), true);
  });
}
