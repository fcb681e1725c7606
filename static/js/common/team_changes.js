/* team.updated carries only what changed (members whose status changed, ids of
 * hosts who left); board.snapshot carries the whole team. This folds a change
 * into the list a page already has, ordered by name.
 */
import { visitKey as key } from "./visit_status.js";

export function mergeTeam(team, update) {
  var byId = new Map();
  (team || []).forEach(function (h) { if (h && h.id !== undefined && h.id !== null) byId.set(key(h.id), h); });
  (Array.isArray(update.removed) ? update.removed : []).forEach(function (id) { byId.delete(key(id)); });
  (Array.isArray(update.changed) ? update.changed : []).forEach(function (h) {
    if (h && h.id !== undefined && h.id !== null) byId.set(key(h.id), h);
  });
  return Array.from(byId.values()).sort(function (a, b) {
    return String(a.name).localeCompare(String(b.name)) || (a.id - b.id);
  });
}
