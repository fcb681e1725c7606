/* The board's picture of the door: the open visits, what we know about them and
 * the team. Nothing here touches the page; the parts that draw subscribe to the
 * changes on the page's event bus (common/events.js):
 *
 *   PICTURE_CHANGED  the visits, or what decides how they show (escalations, this
 *                    host's status), changed: redraw the cards (sections.js).
 *                    Emitted by changed(), after a batch of changes.
 *   TEAM_CHANGED     setTeam() took a new team list: the strip, the presence
 *                    buttons, the host selects and the cards (team.js,
 *                    booking_form.js, sections.js).
 *   ALERT_OVER(id)   a visit needs no alert any more: it is seen to, finished or
 *                    gone (its browser notification closes, notifications.js).
 *
 * Only open visits are kept (waiting, acknowledged, greeted). An update that would
 * move a visit backwards is stale and ignored; a finished visit is remembered for
 * a while so a late update cannot bring it back. One way back is real: a completion
 * undone within its minute comes as greeted with `completion_undone_at` at or after
 * the completion this board saw, and is open again.
 *
 * state.done holds "Done today": the completed visits this host looked after (their
 * own, or seen to by them first), from the snapshot and from updates since.
 */
import { isOpen, statusRank as rank, visitKey as key } from "../common/visit_status.js";
import { parseTime } from "../common/time.js";
import { emit } from "../common/events.js";
import { ME, T } from "./page.js";

export var PICTURE_CHANGED = "board.picture-changed";
export var TEAM_CHANGED = "board.team-changed";
export var ALERT_OVER = "board.alert-over";

export var state = {
  visits: new Map(), // id -> Visit (open ones only)
  contexts: new Map(), // id -> context from visit.arrived
  alerted: new Set(), // ids we already rang for
  escalated: new Map(), // id -> {reason, level}: visits the server asked this board to step in for
  team: [], // [{id, name, status}] of the site
  myStatus: null, // this host's status as the team sees it
  closed: new Map(), // id -> {at: time, completedAt}; finished visits, to ignore late updates
  done: new Map() // id -> Visit: today's completed visits of this host (done_today.js shows them)
};

export function changed() { emit(PICTURE_CHANGED); }

export function isMine(v) { return !!(v && v.host && key(v.host.id) === ME.id); }

// A colleague's guest still waiting after the server widened the alert to this board.
export function isStepIn(v) {
  if (!v || isMine(v) || v.status !== "waiting") return false;
  return state.escalated.has(key(v.id)) || (!!v.escalated_at && state.myStatus === "available");
}

// A visit this host looked after: theirs, or one they saw to first (a stand-in).
export function isMineToFinish(v) {
  return isMine(v) || !!(v && v.acknowledged_by && key(v.acknowledged_by.id) === ME.id);
}

function close(id, v) {
  state.closed.set(id, { at: Date.now(), completedAt: v.completed_at || null });
  if (v.status === "completed" && isMineToFinish(v)) state.done.set(id, v);
}

// A greeted visit this board saw completed: back only if that completion was undone since.
function undoneSince(v, closed) {
  return v.status === "greeted" && !!v.completion_undone_at && !!closed.completedAt &&
    v.completion_undone_at >= closed.completedAt;
}

export function isHelp(v) { return !!(v && v.help_requested); }

export function nameOf(v) {
  if (v && v.customer && v.customer.name) return String(v.customer.name);
  return isHelp(v) ? T("needs_help") : T("a_guest");
}

// Returns whether the picture changed.
export function upsert(v) {
  if (!v || v.id === undefined || v.id === null) return false;
  var id = key(v.id);
  var old = state.visits.get(id);
  if (old && rank(v) < rank(old)) return false; // stale event
  if (!isOpen(v)) {
    state.visits.delete(id);
    close(id, v);
    emit(ALERT_OVER, id);
    return true;
  }
  var closed = state.closed.get(id);
  if (!old && closed) {
    if (!undoneSince(v, closed)) return false; // a late update for a finished visit
    state.closed.delete(id);
    state.done.delete(id);
  }
  state.visits.set(id, v);
  if (v.status !== "waiting") emit(ALERT_OVER, id);
  return true;
}

// A whole picture (board.snapshot, board.resync, the HTTP poll) replaces what we had;
// `contexts` (optional) is {visit id: context}, `done` (optional: the poll has none)
// the host's "Done today".
export function replaceVisits(list, contexts, done) {
  if (contexts && typeof contexts === "object") {
    Object.keys(contexts).forEach(function (id) { state.contexts.set(key(id), contexts[id]); });
  }
  var next = new Map();
  (list || []).forEach(function (v) {
    if (v && isOpen(v) && v.id !== undefined && v.id !== null) next.set(key(v.id), v);
  });
  state.visits.forEach(function (_, id) { if (!next.has(id)) emit(ALERT_OVER, id); });
  state.visits = next;
  state.closed.clear();
  if (Array.isArray(done)) {
    state.done = new Map();
    done.forEach(function (v) {
      if (v && v.status === "completed" && v.id !== undefined && v.id !== null) close(key(v.id), v);
    });
  }
  [state.contexts, state.escalated].forEach(function (m) {
    Array.from(m.keys()).forEach(function (id) { if (!state.visits.has(id)) m.delete(id); });
  });
  Array.from(state.alerted).forEach(function (id) { if (!state.visits.has(id)) state.alerted.delete(id); });
}

export function setContext(id, context) { state.contexts.set(key(id), context); }

export function markEscalated(id, info) { state.escalated.set(key(id), info || {}); }

// A customer's new own host, on every open visit of theirs.
export function setCustomerHost(customerId, host) {
  state.visits.forEach(function (other, id) {
    if (other.customer && key(other.customer.id) === key(customerId)) {
      state.visits.set(id, Object.assign({}, other, { customer: Object.assign({}, other.customer, { host: host }) }));
    }
  });
}

export function setTeam(list) {
  state.team = (list || []).filter(function (h) { return h && h.id !== undefined && h.id !== null; });
  var me = state.team.filter(function (h) { return key(h.id) === ME.id; })[0];
  if (me) state.myStatus = me.status;
  emit(TEAM_CHANGED, me || null);
}

export function setMyStatus(status) { state.myStatus = status; }

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
  state.closed.forEach(function (closed, id) { if (closed.at < cutoff) state.closed.delete(id); });
}
