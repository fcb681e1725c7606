/* The kiosk opens while the server is away: its service worker (/kiosk/sw.js, made by
 * kiosk/web/door/offline.py) keeps the page and its files once it has loaded. Browsers
 * run service workers only on https or on this machine (localhost); elsewhere the kiosk
 * still never loses a check-in (checkin_queue.js), it just cannot be reloaded offline.
 */
var WORKER = "/kiosk/sw.js";
var SCOPE = "/kiosk";

export function keepForOffline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(WORKER, { scope: SCOPE }).catch(function () {
    /* no worker: the kiosk works as before, online */
  });
}
