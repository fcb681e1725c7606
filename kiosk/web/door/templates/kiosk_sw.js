/* Gastgeber kiosk — the service worker (served as /kiosk/sw.js, scope /kiosk).
 *
 * The tablet at the door opens even while the server cannot be reached (a reboot, a
 * reload, a power blip) once it has loaded the kiosk one time: its page, its files
 * and its catalogues are kept here, and checkin_queue.js keeps any check-in until the
 * server answers. Every request goes to the network first; the kept copy is used only
 * when the server cannot be reached, so a reachable server always serves the current
 * kiosk. The files are named by their content (kiosk/web/assets/), so a new release is
 * a new list here, a new cache, and the old one is deleted when the new worker takes
 * over. /api/ and /socket.io/ are never kept.
 */
"use strict";

var CACHE = {{ (cache_prefix ~ version)|tojson }};
var CACHE_PREFIX = {{ cache_prefix|tojson }};
var PRECACHE = {{ precache|tojson }};
var KIOSK = "/kiosk";

function keptPage(response) {
  return response.ok && !response.redirected && response.type === "basic" &&
    new URL(response.url).pathname === KIOSK;
}

/* The page itself too: the load that registered this worker did not pass through it. A tablet
   that is not paired is sent to the setup page, which is not kept. */
function keepThePage(cache) {
  return fetch(KIOSK, { credentials: "same-origin" }).then(function (response) {
    if (keptPage(response)) return cache.put(KIOSK, response);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return Promise.all([cache.addAll(PRECACHE), keepThePage(cache)]); })
      .catch(function () { /* a file that did not come is kept when it is next fetched */ })
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

function neverKept(url) {
  return url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0 ||
    url.pathname.indexOf("/socket.io") === 0;
}

function kept(request, response) {
  if (request.mode === "navigate") return keptPage(response);
  return response.ok && !response.redirected && response.type === "basic";
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (kept(request, response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function (problem) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: request.mode === "navigate" });
    }).then(function (cached) {
      if (cached) return cached;
      throw problem;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || neverKept(new URL(request.url))) return; // the network, untouched
  event.respondWith(networkFirst(request));
});
