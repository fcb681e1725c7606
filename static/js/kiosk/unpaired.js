/* Unpaired: a manager unpaired this tablet (kiosk.unpaired over Socket.IO), its
 * heartbeat or its socket was refused, or the API answered 401 (UNAUTHORIZED). The
 * kiosk shows the pairing screen (#screen-pair) at once, without a reload, and stays
 * there; pairing again posts the code and reloads the kiosk with its new credential.
 * Check-ins still waiting in the queue stay stored and go out after pairing.
 */
import { byId } from "../common/dom.js";
import { on, emit } from "../common/events.js";
import { state, UNAUTHORIZED, UNPAIRED } from "./state.js";
import { showScreen } from "./screens.js";
import { closePrivacy } from "./privacy.js";

export function isUnpaired() {
  return state.unpaired === true;
}

export function showPairing() {
  if (isUnpaired()) return;
  state.unpaired = true;
  state.current = null; // no guest's visit stays on screen
  closePrivacy();
  showScreen("pair");
  emit(UNPAIRED); // the live connection closes itself (live_updates.js)
  var input = byId("pairing-code");
  if (input) input.focus();
}

on(UNAUTHORIZED, showPairing);
