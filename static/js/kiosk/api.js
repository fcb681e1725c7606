/* The kiosk's HTTP calls: common/http.js's request(), given up after 10 s (a
 * tablet on a bad network must not hang on one request; the check-in queue
 * retries). Resolves to its one answer shape {ok, status, data, error, headers},
 * never rejects. A 401 also emits UNAUTHORIZED (state.js): the tablet is not
 * paired any more (unpaired.js).
 */
import { request as httpRequest } from "../common/http.js";
import { emit } from "../common/events.js";
import { UNAUTHORIZED } from "./state.js";

var REQUEST_TIMEOUT_MS = 10000;

export function request(method, url, body) {
  return httpRequest(method, url, body, { timeoutMs: REQUEST_TIMEOUT_MS }).then(function (res) {
    if (res.status === 401) emit(UNAUTHORIZED);
    return res;
  });
}
