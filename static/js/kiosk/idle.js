/* Starting over when nobody is at the kiosk: any tap, key or input restarts the
 * idle clock (config idle_seconds); when it runs out, the kiosk goes back to an
 * empty welcome screen in the default language, unless it already is one.
 */
import { CONFIG } from "./config.js";
import { state, nameInput, codeInput, contactInput } from "./state.js";
import { resetToWelcome } from "./screens.js";
import { privacyIsOpen } from "./privacy.js";

var idleTimer = null;

export function touch() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(onIdle, CONFIG.idle_seconds * 1000);
}

function formIsEmpty() {
  return !nameInput.value && !codeInput.value && !contactInput.value && !Object.keys(state.errors).length;
}

function onIdle() {
  idleTimer = null;
  if (state.screen === "welcome" && formIsEmpty() && state.lang === CONFIG.default_language && !privacyIsOpen()) return;
  resetToWelcome();
}
