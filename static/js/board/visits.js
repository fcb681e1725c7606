/* The board's picture of the door: the open visits and what we know about them.
 *
 * Only open visits are kept (waiting, acknowledged, greeted). An update that would
 * move a visit backwards is stale and ignored; a finished visit is remembered for
 * a while so a late update cannot bring it back. Nothing here touches the page.
 */
import { isOpen, statusRank as rank, visitKey as key } from "../common/visit_status.js";
import { parseTime } from "../common/time.js";
import { ME, T } from "./page.js";
import { closeNotification } from "./notifications.js";

export var state = {
  visits: new Map(), // id -> Visit (open ones only)
  contexts: new Map(), // id -> context from visit.arrived
  alerted: new Set(), // ids we already rang for
  escalated: new Map(), // id -> {reason, level}: visits the server asked this board to step in for
  team: [], // [{id, name, status}] of the site
  myStatus: null, // this host's status as the team sees it
  closed: new Map() // id -> time; finished visits, to ignore late updates
};

export function isMine(v) { return !!(v && v.host && key(v.host.id) === ME.id); }

// A colleague's guest still waiting after the server widened the alert to this board.
export function isStepIn(v) {
  if (!v || isMine(v) || v.status !== "waiting") return false;
  return state.escalated.has(key(v.id)) || (!!v.escalated_at && state.myStatus === "available");
}

export function isHelp(v) { return !!(v && v.help_requested); }

export function nameOf(v) {
  if (v && v.customer && v.customer.name) return String(v.customer.name);
  return isHelp(v) ? T("needs_help", "Needs help at the kiosk") : "A guest";
}

// Returns whether the picture changed.
export function upsert(v) {
  if (!v || v.id === undefined || v.id === null) return false;
  var id = key(v.id);
  var old = state.visits.get(id);
  if (old && rank(v) < rank(old)) return false; // stale event
  if (!isOpen(v)) {
    state.visits.delete(id);
    state.closed.set(id, Date.now());
    closeNotification(id);
    return true;
  }
  if (!old && state.closed.has(id)) return false; // a late update for a finished visit
  state.visits.set(id, v);
  if (v.status !== "waiting") closeNotification(id);
  return true;
}

// Status first, then who came first.
export function sortVisits(list) {
  return list.sort(function (a, b) {
    var r = rank(a) - rank(b);
    if (r) return r;
    var ta = parseTime(a.arrived_at) || 0;
    var tb = parseTime(b.arrived_at) || 0;
    return ta - tb || (key(a.id) < key(b.id) ? -1 : 1);
  });
}

export function forgetOldClosed() {
  var cutoff = Date.now() - 10 * 60 * 1000;
  state.closed.forEach(function (t, id) { if (t < cutoff) state.closed.delete(id); });
}
