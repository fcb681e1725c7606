/* What the kiosk is doing right now, shared by its modules, the page's elements
 * more than one of them needs (the check-in form and its fields), and the names
 * the kiosk's modules use on the page's event bus (common/events.js).
 *
 * state.current is the one check-in on screen:
 *   { client_id, visit: Visit|null, help?, form: {name, code, contact, textMe}, feedback: null|"sending" }
 * Only this visit is ever shown, matched by id; never a customer's name.
 *
 * A module that changes what is on screen emits; the module that draws it
 * subscribes (so no module imports one that imports it back):
 *   STATUS_CHANGED     state.current's visit or retry hint changed: redraw the
 *                      confirmation (status.js)
 *   LANGUAGE_CHANGED   state.lang was applied to the page (language.js): redraw what
 *                      holds translated text (status.js, form_errors.js, privacy.js)
 *   START_OVER         the current guest is done: back to an empty welcome screen
 *                      (start_over.js)
 *   IDLE               nobody touched the kiosk for idle_seconds (idle.js):
 *                      start over unless it is an empty welcome screen (start_over.js)
 *   CHECKIN_ACCEPTED   {entry, visit}: the server took a queued check-in (checkin.js)
 *   CHECKIN_REJECTED   {entry, res}: the server will never take it as it is (checkin.js)
 *   UNAUTHORIZED       the API answered 401 (api.js): not paired any more (unpaired.js)
 *   UNPAIRED           the kiosk shows the pairing screen now (unpaired.js): the
 *                      live connection closes (live_updates.js)
 */
import { byId } from "../common/dom.js";
import { CONFIG } from "./config.js";

export var STATUS_CHANGED = "kiosk.status-changed";
export var LANGUAGE_CHANGED = "kiosk.language-changed";
export var START_OVER = "kiosk.start-over";
export var IDLE = "kiosk.idle";
export var CHECKIN_ACCEPTED = "kiosk.checkin-accepted";
export var CHECKIN_REJECTED = "kiosk.checkin-rejected";
export var UNAUTHORIZED = "kiosk.unauthorized";
export var UNPAIRED = "kiosk.unpaired";

export var state = {
  lang: CONFIG.default_language,
  screen: "welcome",
  screenSince: Date.now(),
  current: null,
  errors: {}, // field -> {key, extra}
  unpaired: false // true once a manager unpaired this tablet (unpaired.js)
};

export var root = byId("kiosk");
export var form = byId("checkin-form");
export var nameInput = byId("name");
export var codeInput = byId("appointment_code");
export var contactInput = byId("contact");
export var textMeInput = byId("text_me"); // only where the site can send text messages (else null)
export var codeNote = byId("code-note");
