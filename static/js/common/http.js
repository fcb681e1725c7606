/* Talking JSON to the server: request(), the one call every page's API traffic
 * goes through, and the one shape of its answer.
 *
 * request(method, url, body, options)
 *   Same-origin cookies (the session; CSRF-safe because the body is JSON), never
 *   cached. `body` (optional) is sent as JSON; options.timeoutMs (optional) gives
 *   the request up after that long, as a network error.
 *
 * It never rejects. It always resolves to an answer:
 *   { ok, status, data, error, headers }
 *   ok       true for a 2xx answer
 *   status   the HTTP status; 0 when no answer came (offline, refused, timed out)
 *   data     the parsed JSON body, or null (no body, or not JSON)
 *   error    null when ok; else the API contract's {code, message, field?} from the
 *            body, or {code: "http_<status>", message} when the body has none, or
 *            {code: "network", message} when no answer came
 *   headers  the answer's Headers (e.g. Retry-After), or null when no answer came
 * The messages of its own errors are the page's language's (#common-texts, which
 * base.html renders from the catalogues).
 */
import { readJsonScript } from "./dom.js";

var TEXTS = readJsonScript("common-texts") || {};
var NETWORK_ERROR = { code: "network", message: TEXTS.network || "" };

function errorOf(status, data) {
  var err = data && data.error;
  if (err && typeof err === "object") return err;
  return { code: "http_" + status, message: String(TEXTS.status || "").replace("{status}", String(status)) };
}

export function request(method, url, body, options) {
  var timeoutMs = options && options.timeoutMs;
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
      return { ok: res.ok, status: res.status, data: data, error: res.ok ? null : errorOf(res.status, data), headers: res.headers };
    });
  }).catch(function () {
    if (timer) clearTimeout(timer);
    return { ok: false, status: 0, data: null, error: { code: NETWORK_ERROR.code, message: NETWORK_ERROR.message }, headers: null };
  });
}
