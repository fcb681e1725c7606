/* How far along the kiosk's visit is, to tell a newer update from a stale one: its
 * status first (common/visit_status.js), then whom its alert has reached
 * (`alerted`: nobody, then the host, then the team). Updates arrive out of order
 * (the check-in's answer after a board's receipt); the kiosk keeps the furthest.
 */
import { statusRank } from "../common/visit_status.js";

var ALERTED = { nobody: 0, host: 1, team: 2 };

export function progress(v) {
  var alerted = v && Object.prototype.hasOwnProperty.call(ALERTED, v.alerted) ? ALERTED[v.alerted] : 0;
  return statusRank(v) * 3 + alerted;
}
