/* What the kiosk is doing right now, shared by its modules, and the page's
 * elements more than one of them needs (the check-in form and its fields).
 *
 * state.current is the one check-in on screen:
 *   { client_id, visit: Visit|null, help?, form: {name, code, contact}, feedback: null|"sending" }
 * Only this visit is ever shown, matched by id; never a customer's name.
 */
import { byId } from "../common/dom.js";
import { CONFIG } from "./config.js";

export var state = {
  lang: CONFIG.default_language,
  screen: "welcome",
  screenSince: Date.now(),
  current: null,
  errors: {} // field -> {key, extra}
};

// Names on the page's event bus (common/events.js).
export var UNAUTHORIZED = "kiosk.unauthorized"; // the API answered 401: this tablet is not paired any more

export var root = byId("kiosk");
export var form = byId("checkin-form");
export var nameInput = byId("name");
export var codeInput = byId("appointment_code");
export var contactInput = byId("contact");
export var codeNote = byId("code-note");
