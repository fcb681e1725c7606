/* Errors on the check-in form: one message per field (#<field>-error, or
 * #form-error for the whole form) with the field marked aria-invalid. Messages
 * are catalogue keys, so they follow a change of language (LANGUAGE_CHANGED);
 * typing in a field clears its error.
 */
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { state, nameInput, codeInput, contactInput, LANGUAGE_CHANGED } from "./state.js";
import { t } from "./strings.js";

export function setError(field, key, extra) {
  state.errors[field] = { key: key, extra: extra || "" };
  renderErrors();
}

export function clearErrors() {
  state.errors = {};
  renderErrors();
}

function renderErrors() {
  ["name", "contact", "appointment_code", "form"].forEach(function (field) {
    var box = byId(field + "-error");
    if (!box) return;
    var err = state.errors[field];
    var input = field === "form" ? null : byId(field);
    if (err) {
      box.textContent = t(err.key) + (err.extra ? " " + err.extra : "");
      box.hidden = false;
      if (input) input.setAttribute("aria-invalid", "true");
    } else {
      box.textContent = "";
      box.hidden = true;
      if (input) input.removeAttribute("aria-invalid");
    }
  });
}

on(LANGUAGE_CHANGED, renderErrors);

export function wireErrorClearing() {
  nameInput.addEventListener("input", function () {
    if (state.errors.name) { delete state.errors.name; renderErrors(); }
  });
  codeInput.addEventListener("input", function () {
    if (state.errors.appointment_code) { delete state.errors.appointment_code; renderErrors(); }
  });
  contactInput.addEventListener("input", function () {
    if (state.errors.contact) { delete state.errors.contact; renderErrors(); }
  });
}
