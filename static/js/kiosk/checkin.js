/* Checking in: the form ("Check in") and the "Please help me" button.
 *
 * The customer is told "we noticed you" the moment they tap, before any network:
 * the check-in goes into the queue and the confirmation shows at once. A name is
 * required; phone or e-mail and an appointment code are optional. Whether the
 * server recognised the customer never changes what the screen shows; a rejected
 * check-in brings the form back with what was typed and the field marked.
 */
import { progress } from "./progress.js";
import { on, emit } from "../common/events.js";
import { CONFIG } from "./config.js";
import { state, nameInput, codeInput, contactInput, textMeInput, STATUS_CHANGED, CHECKIN_ACCEPTED,
  CHECKIN_REJECTED } from "./state.js";
import { newClientId } from "./client_id.js";
import { addPending, send, writeStored } from "./checkin_queue.js";
import { earlyUpdateFor, forgetEarlyUpdates } from "./live_updates.js";
import { showScreen } from "./screens.js";
import { setError, clearErrors } from "./form_errors.js";
import { touch } from "./idle.js";

var PHONE = /^\+?[0-9 ()\/.\-]{5,30}$/;
var EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$/;

// A phone number if it looks like one (digits, spaces, + ( ) / . -), else an e-mail.
// Returns {} for an empty field and null for something that is neither.
function contactFields(text) {
  if (!text) return {};
  var digits = text.replace(/[^0-9]/g, "").length;
  if (/^[+0-9 ()\/.\-]+$/.test(text)) return PHONE.test(text) && digits >= 5 ? { phone: text } : null;
  return EMAIL.test(text) ? { email: text } : null;
}

export function onSubmit(ev) {
  ev.preventDefault();
  clearErrors();
  var name = nameInput.value.replace(/\s+/g, " ").trim();
  var code = codeInput.value.trim();
  var contact = contactInput.value.trim();
  var reach = contactFields(contact);
  if (!name) {
    setError("name", "error_name_required");
    nameInput.focus();
    touch();
    return;
  }
  if (name.length > 80) {
    setError("name", "error_name_too_long");
    nameInput.focus();
    touch();
    return;
  }
  if (!reach) {
    setError("contact", "error_contact");
    contactInput.focus();
    touch();
    return;
  }
  var textMe = !!(textMeInput && textMeInput.checked);
  if (textMe && !reach.phone) { // a text message needs a phone number
    setError("contact", "error_text_me");
    contactInput.focus();
    touch();
    return;
  }
  var clientId = newClientId();
  var body = { name: name, client_id: clientId, language: state.lang };
  if (CONFIG.privacy_version) body.privacy_notice_version = CONFIG.privacy_version;
  if (reach.phone) body.phone = reach.phone;
  if (reach.email) body.email = reach.email;
  if (code) body.appointment_code = code;
  if (textMe) body.text_me = true;
  var entry = { client_id: clientId, body: body, created: Date.now(), attempt: 0 };
  state.current = { client_id: clientId, visit: null, form: { name: name, code: code, contact: contact, textMe: textMe },
    feedback: null };
  addPending(entry);
  // Say it at once; the network comes second.
  nameInput.value = "";
  codeInput.value = "";
  contactInput.value = "";
  if (textMeInput) textMeInput.checked = false;
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  showScreen("confirm");
  emit(STATUS_CHANGED);
  send(entry);
}

// "Please help me": no name, no typing; the whole team is alerted at once.
export function onHelp() {
  if (state.screen !== "welcome" || (state.current && !state.current.visit && state.current.help)) return;
  clearErrors();
  var clientId = newClientId();
  var body = { help: true, client_id: clientId, language: state.lang };
  if (CONFIG.privacy_version) body.privacy_notice_version = CONFIG.privacy_version;
  var entry = { client_id: clientId, body: body, created: Date.now(), attempt: 0 };
  state.current = { client_id: clientId, visit: null, help: true, form: { name: "", code: "", contact: "" }, feedback: null };
  addPending(entry);
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  showScreen("confirm");
  emit(STATUS_CHANGED);
  send(entry);
}

// The server took the check-in (the queue's CHECKIN_ACCEPTED).
function onCheckedIn(entry, visit) {
  var cur = state.current;
  if (!cur || cur.client_id !== entry.client_id) { emit(STATUS_CHANGED); return; } // a background resend
  var early = earlyUpdateFor(visit.id);
  cur.visit = early && progress(early.visit) > progress(visit) ? early.visit : visit;
  forgetEarlyUpdates();
  writeStored();
  emit(STATUS_CHANGED);
}

// The server will never take this check-in as it is (the queue's CHECKIN_REJECTED).
function onRejected(entry, res) {
  var cur = state.current;
  if (!cur || cur.client_id !== entry.client_id) return; // nobody is waiting for this one any more
  var err = res.error || {};
  state.current = null;
  writeStored();
  nameInput.value = cur.form.name;
  codeInput.value = cur.form.code;
  contactInput.value = cur.form.contact || "";
  if (textMeInput) textMeInput.checked = !!cur.form.textMe;
  state.errors = {};
  if (err.field === "name") {
    setError("name", cur.form.name.length > 80 ? "error_name_too_long" : "error_name");
  } else if (err.field === "text_me") {
    setError("contact", "error_text_me");
  } else if (err.field === "phone" || err.field === "email") {
    setError("contact", "error_contact");
  } else if (err.field === "appointment_code") {
    setError("appointment_code", "error_appointment_code");
  } else {
    setError("form", "error_generic");
  }
  showScreen("welcome");
  emit(STATUS_CHANGED);
  var focusField = err.field === "appointment_code" ? codeInput : err.field === "name" ? nameInput :
    (err.field === "phone" || err.field === "email" || err.field === "text_me") ? contactInput : null;
  if (focusField) focusField.focus();
}

on(CHECKIN_ACCEPTED, function (p) { onCheckedIn(p.entry, p.visit); });
on(CHECKIN_REJECTED, function (p) { onRejected(p.entry, p.res); });
