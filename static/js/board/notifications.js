/* Browser notifications: asked for once, on the Start tap (after the start panel
 * explained why), shown only while the board's tab is hidden, one per visit, and
 * closed when the visit is seen to (state.js's ALERT_OVER), or when the host comes
 * back to the tab.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { T, root, page } from "./page.js";
import { ALERT_OVER } from "./state.js";

var notifications = new Map(); // id -> Notification
var notifyBlocked = byId("notify-blocked");

export function notify(v, text) {
  if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
  try {
    var n = new Notification(text, {
      body: T("notify_body"),
      tag: "gastgeber-visit-" + key(v.id),
      requireInteraction: true
    });
    n.onclick = function () { window.focus(); n.close(); };
    notifications.set(key(v.id), n);
  } catch (e) { /* some browsers only allow notifications from a service worker */ }
}

function closeNotification(id) {
  var n = notifications.get(id);
  if (n) { try { n.close(); } catch (e) { /* already gone */ } notifications.delete(id); }
}
on(ALERT_OVER, closeNotification); // the visit is seen to, finished or gone

export function closeAllNotifications() {
  notifications.forEach(function (_, id) { closeNotification(id); });
}

function renderNotify() {
  var permission = "Notification" in window ? Notification.permission : "unsupported";
  root.setAttribute("data-notifications", permission);
  if (notifyBlocked) notifyBlocked.hidden = !(page.started && permission === "denied");
}

export function askNotifications() {
  if (!("Notification" in window) || Notification.permission !== "default") { renderNotify(); return; }
  try {
    var asked = Notification.requestPermission(renderNotify);
    if (asked && typeof asked.then === "function") asked.then(renderNotify, renderNotify);
  } catch (e) { /* old Safari */ }
  renderNotify();
}

/* The drill's notification, shown even while the board is in front: resolves to
 * { notifications: the permission, notification_shown: whether the browser said it
 * showed it (its "show" event) }. Closed again after a few seconds. */
export function testNotification(title, body) {
  if (!("Notification" in window)) return Promise.resolve({ notifications: "unsupported", notification_shown: false });
  var permission = Notification.permission;
  if (permission !== "granted") return Promise.resolve({ notifications: permission, notification_shown: false });
  return new Promise(function (done) {
    var settled = false;
    function finish(shown) { if (!settled) { settled = true; done({ notifications: permission, notification_shown: shown }); } }
    try {
      var n = new Notification(title, { body: body, tag: "gastgeber-drill" });
      n.onshow = function () { finish(true); setTimeout(function () { n.close(); }, 5000); };
      n.onerror = function () { finish(false); };
      setTimeout(function () { finish(false); }, 2000);
    } catch (e) { finish(false); } // e.g. Chrome on Android: only a service worker may show one
  });
}
