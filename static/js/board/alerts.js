/* Telling the host a guest is here: the chime, a line for screen readers
 * (#announce) and a browser notification, once per visit; a gentle repeat while
 * the guest still waits. Escalations ask this host to step in for a colleague.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId } from "../common/dom.js";
import { T } from "./page.js";
import { state, isMine, isHelp, isStepIn, nameOf } from "./state.js";
import { chime, msSinceLastChime } from "./sound.js";
import { notify } from "./notifications.js";

var REPEAT_CHIME_MS = 20000;

export function announce(text) {
  var box = byId("announce");
  if (box) box.textContent = text;
}

function arrivalText(v) {
  if (isHelp(v) && !(v.customer && v.customer.name)) return T("announce_help");
  return T("announce_arrived", { name: nameOf(v) });
}

export function alertFor(v) {
  var id = key(v.id);
  if (state.alerted.has(id) || v.status !== "waiting") return;
  state.alerted.add(id);
  chime(false);
  announce(arrivalText(v));
  notify(v, arrivalText(v));
}

// The server asked this board to step in (state.js's markEscalated has noted it).
export function escalate(v) {
  var id = key(v.id);
  if (isMine(v)) return alertFor(v);
  if (state.alerted.has(id) || v.status !== "waiting") return;
  state.alerted.add(id);
  chime(false);
  if (isHelp(v)) {
    announce(arrivalText(v));
    notify(v, arrivalText(v));
    return;
  }
  announce(T("announce_step_in", { name: nameOf(v) }));
  notify(v, v.host && v.host.name ? T("notify_step_in_for", { name: nameOf(v), host: v.host.name })
    : T("announce_step_in", { name: nameOf(v) }));
}

// Keep ringing, gently spaced, while a guest of mine (or one I was asked to step in for) waits.
export function remindWhileWaiting() {
  var ringing = false;
  state.visits.forEach(function (v) {
    if (v.status === "waiting" && (isMine(v) || isStepIn(v))) ringing = true;
  });
  if (ringing && msSinceLastChime() >= REPEAT_CHIME_MS) chime(false);
}
