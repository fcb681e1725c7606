/* The pairing screen (/kiosk/pair, /kiosk/setup): opened from the QR code, the code is
 * already filled in and is sent at once, so pairing a tablet is one scan. Typed codes
 * are shown in capitals (the server takes any case, with or without the dash).
 */
import { byId } from "../common/dom.js";

var form = byId("pair-form");
var input = byId("pairing-code");

if (input) {
  input.addEventListener("input", function () {
    var upper = input.value.toUpperCase();
    if (upper !== input.value) {
      var at = input.selectionStart;
      input.value = upper;
      input.setSelectionRange(at, at);
    }
  });
}
if (form && form.getAttribute("data-auto-pair") === "true") {
  form.removeAttribute("data-auto-pair");
  if (typeof form.requestSubmit === "function") form.requestSubmit();
  else form.submit();
}
