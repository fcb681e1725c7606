/* The kiosk's screens and moving between them.
 *
 *  - welcome: the form, "Please help me", languages, the privacy notice.
 *  - confirm: "we noticed you" (or "help is on its way"), then who is coming; an
 *    appointment code the server did not find gets a friendly note.
 *  - feedback: the thank-you with three faces (feedback.js), once the visit is done.
 *  - pair: the pairing code form, once a manager unpaired this tablet (unpaired.js).
 * #kiosk's data-screen names the one on screen; resetToWelcome starts over for
 * the next guest (a pending check-in still goes out in the background).
 */
import { byId } from "../common/dom.js";
import { CONFIG } from "./config.js";
import { state, root, form, nameInput, codeInput, contactInput, codeNote } from "./state.js";
import { t, fill, applyLanguage } from "./language.js";
import { isRetrying, writeStored } from "./checkin_queue.js";
import { showFeedback, cancelFeedbackTimer } from "./feedback.js";
import { clearErrors } from "./form_errors.js";
import { closePrivacy } from "./privacy.js";
import { touch } from "./idle.js";

var NEW_CHECKIN_GUARD_MS = 900;
var screens = { welcome: byId("screen-welcome"), confirm: byId("screen-confirm"), feedback: byId("screen-feedback"),
  pair: byId("screen-pair") };
var statusLine = byId("status-line");
var hint = byId("connecting-hint");
var confirmTitle = byId("confirm-title");
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

// The confirmation screen's heading and status line, from the current visit.
export function renderStatus() {
  var cur = state.current;
  var v = cur && cur.visit;
  var help = !!(cur && cur.help);
  var next = "notifying";
  var text = t(help ? "help_notifying" : "notifying");
  var heading = t(help ? "help_title" : "noticed");
  if (heading && confirmTitle.textContent !== heading) confirmTitle.textContent = heading;
  root.setAttribute("data-help", help ? "true" : "false");
  if (v && (v.status === "acknowledged" || v.status === "greeted")) {
    var who = (v.acknowledged_by && v.acknowledged_by.name) || (v.host && v.host.name) || "";
    next = "coming";
    text = who ? fill(t("coming"), String(who)) : t("coming_someone");
  } else if (v && v.status === "completed") {
    next = "thanks";
    text = t("thanks") || t("noticed");
  }
  if (statusLine.textContent !== text) statusLine.textContent = text;
  if (statusLine.getAttribute("data-state") !== next) {
    statusLine.setAttribute("data-state", next);
    touch(); // a visible change of the screen restarts the idle clock
  }
  hint.hidden = !(cur && isRetrying(cur.client_id));
  // An appointment code the server did not find: say so kindly; the check-in stands.
  codeNote.hidden = !(cur && cur.form && cur.form.code && v &&
    Object.prototype.hasOwnProperty.call(v, "appointment") && v.appointment === null);
  if (v && v.status === "completed" && state.screen === "confirm") showFeedback();
}

export function resetToWelcome() {
  state.current = null; // forget the visit; a pending check-in still goes out in the background
  closePrivacy();
  cancelFeedbackTimer();
  writeStored();
  form.reset();
  nameInput.value = "";
  codeInput.value = "";
  contactInput.value = "";
  codeNote.hidden = true;
  clearErrors();
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  state.lang = CONFIG.default_language;
  applyLanguage();
  showScreen("welcome");
}

export function wireScreens() {
  newCheckinButton.addEventListener("click", resetToWelcome);
  feedbackSkip.addEventListener("click", resetToWelcome);
}
