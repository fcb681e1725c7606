/* Starting over for the next guest: an empty welcome screen in the default
 * language, the privacy notice closed, no errors. A check-in still waiting in the
 * queue goes out in the background all the same.
 *
 * It happens on START_OVER (the guest is done: feedback given, the visit
 * abandoned, "New check-in" or "Skip" tapped) and on IDLE, unless the kiosk
 * already is an empty welcome screen in the default language, or the confirmation
 * is still waiting for someone to acknowledge the guest: a guest who sat down must
 * still learn who is coming. Then #kiosk gets data-idle="held", and the idle clock
 * starts again with the next change on screen (the acknowledgment) or tap; the next
 * guest starts over with one tap on "New check-in".
 */
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { CONFIG } from "./config.js";
import { state, root, form, nameInput, codeInput, contactInput, textMeInput, codeNote, START_OVER, IDLE } from "./state.js";
import { writeStored } from "./checkin_queue.js";
import { cancelFeedbackTimer } from "./feedback.js";
import { clearErrors } from "./form_errors.js";
import { closePrivacy, privacyIsOpen } from "./privacy.js";
import { applyLanguage } from "./language.js";
import { showScreen } from "./screens.js";

function resetToWelcome() {
  state.current = null; // forget the visit; a pending check-in still goes out in the background
  root.removeAttribute("data-idle");
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

function formIsEmpty() {
  return !nameInput.value && !codeInput.value && !contactInput.value && !(textMeInput && textMeInput.checked) &&
    !Object.keys(state.errors).length;
}

// The confirmation of a guest nobody has acknowledged yet (or whose check-in is still on its way).
function stillWaiting() {
  var cur = state.current;
  return state.screen === "confirm" && !!cur && (!cur.visit || cur.visit.status === "waiting");
}

function onIdle() {
  if (state.screen === "welcome" && formIsEmpty() && state.lang === CONFIG.default_language && !privacyIsOpen()) return;
  if (stillWaiting()) {
    root.setAttribute("data-idle", "held");
    return;
  }
  resetToWelcome();
}

on(START_OVER, resetToWelcome);
on(IDLE, onIdle);

export function wireStartOver() {
  byId("new-checkin").addEventListener("click", resetToWelcome);
  byId("feedback-skip").addEventListener("click", resetToWelcome);
}
