/* The privacy notice: one tap away on the welcome screen (#privacy-open), shown in
 * a modal dialog in the kiosk's current language (text and version come from the
 * kiosk config). A tap on the dimmed backdrop closes it too, and focus goes back
 * to the link that opened it.
 */
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { CONFIG } from "./config.js";
import { state, LANGUAGE_CHANGED } from "./state.js";
import { touch } from "./idle.js";

var privacyOpen = byId("privacy-open");
var privacyDialog = byId("privacy-dialog");
var privacyText = byId("privacy-text");
var privacyClose = byId("privacy-close");

function privacyNotice() {
  var texts = CONFIG.privacy_texts;
  return texts[state.lang] || texts[CONFIG.default_language] || texts.en || texts.de || "";
}

function renderPrivacy() {
  var text = privacyNotice();
  if (privacyText.textContent !== text) privacyText.textContent = text;
  privacyOpen.hidden = !text;
}
on(LANGUAGE_CHANGED, renderPrivacy);

export function privacyIsOpen() {
  return privacyDialog.hasAttribute("open");
}

function openPrivacy() {
  if (privacyIsOpen() || !privacyNotice()) return;
  renderPrivacy();
  if (typeof privacyDialog.showModal === "function") privacyDialog.showModal();
  else privacyDialog.setAttribute("open", "");
  privacyClose.focus();
  touch();
}

export function closePrivacy() {
  if (!privacyIsOpen()) return;
  if (typeof privacyDialog.close === "function") privacyDialog.close();
  else { privacyDialog.removeAttribute("open"); onPrivacyClosed(); }
}

function onPrivacyClosed() {
  // Back where the customer was: the link that opened the notice, if it is still on screen.
  if (state.screen === "welcome" && !privacyOpen.hidden) privacyOpen.focus();
  touch();
}

export function wirePrivacy() {
  privacyOpen.addEventListener("click", openPrivacy);
  privacyClose.addEventListener("click", closePrivacy);
  privacyDialog.addEventListener("close", onPrivacyClosed);
  privacyDialog.addEventListener("click", function (ev) {
    if (ev.target === privacyDialog) closePrivacy(); // a tap on the dimmed backdrop closes too
  });
}
