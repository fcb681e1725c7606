/* A visit's status and how far along it is.
 *
 * waiting -> acknowledged -> greeted -> completed | abandoned. Events can arrive
 * out of order, so every page compares ranks and ignores an update that would
 * move a visit backwards.
 */

var RANK = { waiting: 0, acknowledged: 1, greeted: 2, completed: 3, abandoned: 3 };

// Visits are keyed by their id as a string (ids arrive as numbers and as strings).
export function visitKey(id) {
  return String(id);
}

export function statusRank(v) {
  return v && Object.prototype.hasOwnProperty.call(RANK, v.status) ? RANK[v.status] : -1;
}

export function isOpen(v) {
  return v && (v.status === "waiting" || v.status === "acknowledged" || v.status === "greeted");
}
