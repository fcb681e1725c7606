/* The kiosk's screens and which one is on show.
 *
 *  - welcome: the form, "Please help me", languages, the privacy notice.
 *  - confirm: "we noticed you" (or "help is on its way"), then who is coming
 *    (status.js draws it).
 *  - feedback: the thank-you with three faces (feedback.js), once the visit is done.
 *  - pair: the pairing code form, once a manager unpaired this tablet (unpaired.js).
 * #kiosk's data-screen names the one on screen; state.screen too. Going back to
 * the welcome screen for the next guest is start_over.js.
 */
import { byId } from "../common/dom.js";
import { state, root } from "./state.js";
import { touch } from "./idle.js";

var NEW_CHECKIN_GUARD_MS = 900;
var screens = { welcome: byId("screen-welcome"), confirm: byId("screen-confirm"), feedback: byId("screen-feedback"),
  pair: byId("screen-pair") };
var newCheckinButton = byId("new-checkin");
var feedbackSkip = byId("feedback-skip");

export function showScreen(name) {
  if (state.unpaired) name = "pair"; // unpaired (unpaired.js): nothing but the pairing screen until paired again
  state.screen = name;
  state.screenSince = Date.now();
  Object.keys(screens).forEach(function (key) {
    screens[key].hidden = key !== name;
  });
  root.setAttribute("data-screen", name);
  if (name === "confirm" || name === "feedback") {
    // Swallow the second half of a double tap on "Check in": the button is
    // briefly disabled instead of ignoring clicks, so it is clear to everyone.
    var guarded = name === "confirm" ? newCheckinButton : feedbackSkip;
    guarded.disabled = true;
    setTimeout(function () { guarded.disabled = false; }, NEW_CHECKIN_GUARD_MS);
  }
  touch();
}
