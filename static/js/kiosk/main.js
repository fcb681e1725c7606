/* Gastgeber kiosk — the check-in tablet at the door. This file only wires the
 * parts together and starts them; each module's header says what it holds.
 *
 * Rules the kiosk keeps:
 *  - The customer is told "we noticed you" the moment they tap, before any network
 *    (checkin.js).
 *  - A check-in is never lost: it waits in localStorage and is resent with the same
 *    client_id until the server answers, even across reloads (checkin_queue.js).
 *  - Only the current customer's own visit is ever shown (live_updates.js); no
 *    customer name is ever put on screen. All text goes through textContent.
 *  - A completed visit ends with a thank-you and three faces (feedback.js).
 *  - The privacy notice is one tap away, in the kiosk's language (privacy.js);
 *    every check-in carries the version of the notice this kiosk shows.
 *  - Once loaded, the kiosk opens even while the server is away (offline.js).
 *  - Nobody there for a while, or the guest is done: an empty welcome screen for
 *    the next one (idle.js, start_over.js).
 * The modules tell each other what happened over the page's event bus; state.js
 * lists its names, who emits them and who listens.
 */
import { byId } from "../common/dom.js";
import { state, root, form } from "./state.js";
import { loadStrings } from "./strings.js";
import { applyLanguage, wireLanguageButtons } from "./language.js";
import { showScreen } from "./screens.js";
import "./status.js";
import { wireStartOver } from "./start_over.js";
import { wireFeedback } from "./feedback.js";
import { wireErrorClearing } from "./form_errors.js";
import { wirePrivacy } from "./privacy.js";
import { touch } from "./idle.js";
import { onSubmit, onHelp } from "./checkin.js";
import { restorePending, retryAllNow, sendAllPending } from "./checkin_queue.js";
import { connectSocket, tick } from "./live_updates.js";
import { keepAwake, wireKioskMode } from "./kiosk_mode.js";
import { keepForOffline } from "./offline.js";
import "./unpaired.js";

var POLL_MS = 3000;

form.addEventListener("submit", onSubmit);
wireErrorClearing();
wireStartOver();
wireFeedback();
wireLanguageButtons();
byId("help-button").addEventListener("click", onHelp);
wirePrivacy();
["pointerdown", "keydown", "input"].forEach(function (type) {
  document.addEventListener(type, touch, { passive: true });
});
window.addEventListener("online", retryAllNow);
wireKioskMode();

restorePending();
if (state.current) showScreen("confirm");
else showScreen("welcome");
applyLanguage();
var reveal = function () { root.removeAttribute("aria-busy"); };
setTimeout(reveal, 2500); // never keep the screen blank if the string files are slow
loadStrings().then(function () {
  applyLanguage();
  reveal();
});
sendAllPending();
connectSocket();
keepAwake();
keepForOffline();
setInterval(tick, POLL_MS);
