/* Living on a wall-mounted tablet.
 *
 *  - Wake lock: keep the screen on where the browser allows it. The lock is dropped
 *    whenever the tab is hidden, so take it again when the kiosk is visible or
 *    tapped. #kiosk's data-wake-lock says how it went (on, off, denied, unsupported).
 *  - On-screen keyboard: it takes half the screen, so while a form field has focus
 *    and the visible area is low (data-compact), the welcome text makes room and
 *    the field and "Check in" are scrolled into view.
 */
import { byId } from "../common/dom.js";
import { state, root, form } from "./state.js";

var COMPACT_BELOW_PX = 720; // a visual viewport lower than this while typing: keyboard up, make room
var wakeLock = null;
var wakePending = false;
var vv = window.visualViewport || null;
var fitTimer = null;

export function keepAwake() {
  if (wakeLock || wakePending || document.hidden) return;
  if (!navigator.wakeLock || typeof navigator.wakeLock.request !== "function") {
    root.setAttribute("data-wake-lock", "unsupported");
    return;
  }
  wakePending = true;
  navigator.wakeLock.request("screen").then(function (lock) {
    wakePending = false;
    wakeLock = lock;
    root.setAttribute("data-wake-lock", "on");
    lock.addEventListener("release", function () {
      wakeLock = null;
      root.setAttribute("data-wake-lock", "off");
    });
  }, function () {
    wakePending = false;
    root.setAttribute("data-wake-lock", "denied"); // tried again on the next tap or return to the tab
  });
}

function visibleHeight() { return vv ? vv.height : window.innerHeight; }

function fitForKeyboard() {
  var focused = document.activeElement;
  var typing = !!(focused && focused.tagName === "INPUT" && form.contains(focused)) && state.screen === "welcome";
  var compact = typing && visibleHeight() < COMPACT_BELOW_PX;
  if ((root.getAttribute("data-compact") === "true") !== compact) {
    if (compact) root.setAttribute("data-compact", "true");
    else root.removeAttribute("data-compact");
  }
  root.style.setProperty("--visible-height", Math.round(visibleHeight()) + "px");
  if (!typing) return;
  // The field itself in view; then, if there is room, "Check in" too.
  var submit = byId("checkin-button");
  var top = focused.getBoundingClientRect().top - (vv ? vv.offsetTop : 0);
  var bottom = submit.getBoundingClientRect().bottom - (vv ? vv.offsetTop : 0);
  var label = focused.closest(".field");
  var fieldTop = label ? label.getBoundingClientRect().top - (vv ? vv.offsetTop : 0) : top;
  var room = visibleHeight();
  var delta = 0;
  if (bottom - fieldTop <= room - 16) {
    if (bottom > room - 8) delta = bottom - room + 8;
    else if (fieldTop < 8) delta = fieldTop - 8;
  } else if (fieldTop < 8 || fieldTop > room / 3) {
    delta = fieldTop - 8;
  }
  if (delta) window.scrollBy(0, delta);
}

function fitSoon() {
  if (fitTimer) clearTimeout(fitTimer);
  fitTimer = setTimeout(function () { fitTimer = null; fitForKeyboard(); }, 60);
}

export function wireKioskMode() {
  document.addEventListener("visibilitychange", function () { if (!document.hidden) keepAwake(); });
  document.addEventListener("pointerdown", keepAwake, { passive: true });
  form.addEventListener("focusin", fitSoon);
  form.addEventListener("focusout", fitSoon);
  if (vv) vv.addEventListener("resize", fitSoon);
  window.addEventListener("resize", fitSoon);
}
