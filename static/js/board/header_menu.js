/* The header's menu on a phone: the language choice and "Sign out" fold behind one
 * button, so the header keeps to who this is, the connection and the presence control.
 * Wider screens show them in the row (app.css hides the button there). This only opens
 * and closes it: the button, Escape (focus back on the button) and a tap elsewhere.
 */
import { byId } from "../common/dom.js";

var menu = byId("board-menu");
var toggle = byId("board-menu-toggle");

function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }

function setOpen(open) {
  menu.setAttribute("data-open", open ? "true" : "false");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
}

export function wireHeaderMenu() {
  toggle.addEventListener("click", function () { setOpen(!isOpen()); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || !isOpen()) return;
    setOpen(false);
    toggle.focus();
  });
  document.addEventListener("pointerdown", function (ev) {
    if (isOpen() && !menu.contains(ev.target)) setOpen(false);
  });
}
