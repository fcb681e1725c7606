/* Talking JSON to the server.
 *
 * fetchJson: the one fetch all API calls go through: same-origin cookies (the
 *   session; CSRF-safe because the body is JSON), never cached, an optional
 *   timeout. Resolves to {ok, status, data, headers}; rejects on a network error.
 * apiRequest: the staff board's form of it: the answer's data, or {error} with
 *   the HTTP status, never a rejection.
 * getJsonAnswer: the stats pages' plain GET: {ok, body}.
 */

export function fetchJson(method, url, body, timeoutMs) {
  var ctrl = timeoutMs && typeof AbortController === "function" ? new AbortController() : null;
  var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, timeoutMs) : null;
  var opts = {
    method: method,
    credentials: "same-origin",
    cache: "no-store",
    headers: { "Accept": "application/json" },
    signal: ctrl ? ctrl.signal : undefined
  };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  return fetch(url, opts).then(function (res) {
    if (timer) clearTimeout(timer);
    return res.text().then(function (text) {
      var data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      return { ok: res.ok, status: res.status, data: data, headers: res.headers };
    });
  }, function (err) {
    if (timer) clearTimeout(timer);
    throw err;
  });
}

export function apiRequest(method, url, body) {
  return fetchJson(method, url, body).then(function (res) {
    if (res.ok && res.data) return res.data;
    var err = (res.data && res.data.error) || { code: "http_" + res.status, message: "The server answered " + res.status + "." };
    err.status = res.status;
    return { error: err };
  }, function () {
    return { error: { code: "network", message: "No connection to the server. Please try again." } };
  });
}

export function getJsonAnswer(url) {
  return window.fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  }).then(function (response) {
    return response.json().then(function (body) { return { ok: response.ok, body: body }; });
  });
}
