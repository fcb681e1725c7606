/* The installable board and Web Push on this device.
 *
 * install() registers the board's service worker (/board/sw.js, scope /board) on every
 * load, so "Add to home screen" installs the board and a new release replaces the
 * old worker and its cache. It then shows, in #push-panel, whether this device gets
 * notifications, and a button to switch them on or off:
 *   on    Notification permission, pushManager.subscribe with the server's VAPID key
 *         (GET /api/v1/push/key), the subscription kept by POST /api/v1/push/subscriptions;
 *   off   pushManager unsubscribe and DELETE /api/v1/push/subscriptions/<id>.
 * Push needs internet (the browser's push service) and a secure context (HTTPS, or
 * localhost). When subscribing fails, or the server recorded that pushes to this
 * device fail, the panel says so and points to ntfy or e-mail.
 */
import { byId, readJsonScript, setText } from "../common/dom.js";
import { request } from "../common/http.js";

var SW_URL = "/board/sw.js";
var SCOPE = "/board";
var TEXTS = readJsonScript("push-texts") || {};
var panel = byId("push-panel");
var stateLine = byId("push-state");
var toggle = byId("push-toggle");
var mine = null; // this device's subscription as the server keeps it, or null

function T(key) {
  return typeof TEXTS[key] === "string" && TEXTS[key] ? TEXTS[key] : key;
}

function show(text, buttonText) {
  if (!panel) return;
  panel.hidden = false;
  setText(stateLine, text);
  toggle.hidden = !buttonText;
  if (buttonText) setText(toggle, buttonText);
}

function base64UrlToBytes(text) {
  var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  var raw = atob(padded);
  var bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function pushAvailable() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function failing(device) {
  return device && device.last_error_at && (!device.last_ok_at || device.last_error_at > device.last_ok_at);
}

function showState(subscription) {
  if (Notification.permission === "denied") return show(T("blocked"), null);
  if (!subscription) return show(T("off"), T("enable"));
  if (failing(mine)) {
    return show(T("failing").replace("{error}", function () { return mine.last_error; }),
      T("disable"));
  }
  show(T("on"), T("disable"));
}

function findMine(subscription) {
  if (!subscription) return Promise.resolve(null);
  return request("GET", "/api/v1/push/subscriptions").then(function (answer) {
    var devices = (answer.ok && answer.data && answer.data.subscriptions) || [];
    for (var i = 0; i < devices.length; i++) if (devices[i].endpoint === subscription.endpoint) return devices[i];
    return null;
  });
}

function keep(subscription) {
  return request("POST", "/api/v1/push/subscriptions", subscription.toJSON()).then(function (answer) {
    if (!answer.ok) throw new Error(answer.error.message);
    mine = answer.data.subscription;
    return subscription;
  });
}

function switchOn(registration) {
  return Notification.requestPermission().then(function (permission) {
    if (permission !== "granted") return null;
    return request("GET", "/api/v1/push/key").then(function (answer) {
      if (!answer.ok) throw new Error(answer.error.message);
      return registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: base64UrlToBytes(answer.data.public_key)
      });
    }).then(keep);
  });
}

function switchOff(registration) {
  return registration.pushManager.getSubscription().then(function (subscription) {
    var forget = mine ? request("DELETE", "/api/v1/push/subscriptions/" + mine.id) : Promise.resolve();
    mine = null;
    return forget.then(function () { return subscription ? subscription.unsubscribe() : false; });
  }).then(function () { return null; });
}

function wire(registration) {
  toggle.addEventListener("click", function () {
    toggle.disabled = true;
    registration.pushManager.getSubscription().then(function (current) {
      return current ? switchOff(registration) : switchOn(registration);
    }).then(showState, function () {
      show(T("no_internet"), T("enable"));
    }).then(function () { toggle.disabled = false; });
  });
  return registration.pushManager.getSubscription().then(function (subscription) {
    return findMine(subscription).then(function (device) {
      mine = device;
      // a subscription the server forgot (a push service said it was gone): keep it again
      if (subscription && !device) return keep(subscription).then(showState, function () { showState(null); });
      showState(subscription);
    });
  });
}

export function install() {
  if (!("serviceWorker" in navigator)) {
    if (!window.isSecureContext) show(T("insecure"), null);
    else show(T("unsupported"), null);
    return Promise.resolve(null);
  }
  return navigator.serviceWorker.register(SW_URL, { scope: SCOPE }).then(function (registration) {
    if (!pushAvailable()) {
      show(T("unsupported"), null);
      return registration;
    }
    return navigator.serviceWorker.ready.then(wire).then(function () { return registration; });
  }, function () {
    show(T("unsupported"), null);
    return null;
  });
}
