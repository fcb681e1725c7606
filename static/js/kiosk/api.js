/* The kiosk's HTTP calls: JSON with the session cookie, given up after 10 s (a
 * tablet on a bad network must not hang on one request; the check-in queue
 * retries). Resolves to {ok, status, data, headers}; rejects on a network error.
 * A 401 also fires "kiosk:unauthorized" on the document: the tablet is not paired any more.
 */
import { fetchJson } from "../common/http.js";

var REQUEST_TIMEOUT_MS = 10000;

export function request(method, url, body) {
  return fetchJson(method, url, body, REQUEST_TIMEOUT_MS).then(function (res) {
    // 401: this tablet's credential was revoked (unpaired) or has ended: back to pairing (unpaired.js).
    if (res.status === 401) document.dispatchEvent(new CustomEvent("kiosk:unauthorized"));
    return res;
  });
}
