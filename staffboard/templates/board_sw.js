/* Gastgeber staff board — the service worker (served as /board/sw.js, scope /board).
 *
 * Never a stale board: the cache is named after this release's asset version, so a
 * new release is a new worker with a new cache; when it takes over it deletes every
 * older board cache. Every request goes to the network first; the cached copy is
 * used only when the server cannot be reached. /api/ and /socket.io/ are never cached.
 *
 * Web Push: a push shows the notification the server sent (the guest, since when) with
 * an "I've seen it" action, which posts the notification's one-time token to the
 * server without opening the page. Tapping the notification opens the board.
 */
"use strict";

var VERSION = {{ version|tojson }};
var CACHE = {{ (cache_prefix ~ version)|tojson }};
var CACHE_PREFIX = {{ cache_prefix|tojson }};
var PRECACHE = {{ precache|tojson }};
var BOARD = "/board";
var ICON = {{ icon|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      .catch(function () { /* a file that did not come is fetched when it is needed */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function neverCached(url) {
  return url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0 ||
    url.pathname.indexOf("/socket.io") === 0;
}

function kept(request, response) {
  var url = new URL(request.url);
  var page = request.mode === "navigate";
  return response.ok && !response.redirected && response.type === "basic" && (!page || url.pathname === BOARD);
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (kept(request, response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function (problem) {
    return caches.open(CACHE).then(function (cache) { return cache.match(request); }).then(function (cached) {
      if (cached) return cached;
      throw problem;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || neverCached(new URL(request.url))) return; // the network, untouched
  event.respondWith(networkFirst(request));
});

self.addEventListener("push", function (event) {
  var shown = null;
  try { shown = event.data ? event.data.json() : null; } catch (e) { shown = null; }
  if (!shown || !shown.title) return;
  event.waitUntil(self.registration.showNotification(shown.title, {
    body: shown.body,
    tag: shown.tag,
    renotify: true,
    requireInteraction: true,
    icon: ICON,
    badge: ICON,
    data: { url: shown.url || BOARD, ack_url: shown.ack_url, visit_id: shown.visit_id },
    actions: shown.ack_url ? [{ action: "ack", title: shown.ack_label || "OK" }] : []
  }));
});

function openBoard(url) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (new URL(windows[i].url).pathname === BOARD && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(url || BOARD);
  });
}

self.addEventListener("notificationclick", function (event) {
  var data = event.notification.data || {};
  event.notification.close();
  if (event.action !== "ack" || !data.ack_url) {
    event.waitUntil(openBoard(data.url));
    return;
  }
  // "I've seen it": the token in the URL is the credential; a refused one opens the board instead
  event.waitUntil(fetch(data.ack_url, { method: "POST", credentials: "omit", cache: "no-store" })
    .then(function (answer) { if (!answer.ok) return openBoard(data.url); })
    .catch(function () { return openBoard(data.url); }));
});
