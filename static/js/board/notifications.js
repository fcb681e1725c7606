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
      body: T("notify_body", "Open the board to respond."),
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
