/* What the server put into the staff board page, read once at load.
 *
 *  - #board-config: escalation delay and the site's time zone.
 *  - #board-texts: every "board.js.*" text of the catalogues in the page's language
 *    (English where a language lacks one), by key without the prefix. T(key) is a
 *    text; T(key, {name: …}) fills its {placeholders}. Numbers in it are written
 *    with the page's digits (number()).
 *  - LANG: the page's language (<html lang>), for Intl's dates, numbers and names.
 *  - #board's data attributes: who this host is.
 *  - page.started: whether the host tapped "Start" (sound and notifications follow it).
 */
import { byId, readJsonScript } from "../common/dom.js";

var TEXTS = readJsonScript("board-texts") || {};

export var LANG = document.documentElement.lang || undefined;

var numbers = (function () {
  try { return new Intl.NumberFormat(LANG); } catch (e) { return new Intl.NumberFormat(); }
})();

// A count or a figure as the page's language writes it.
export function number(n) { return numbers.format(n); }

// The text of `k`, its {placeholders} filled from `values` (numbers through number()).
// An older call's second argument may be a string: the text to use where the page has none.
export function T(k, values) {
  var text = typeof TEXTS[k] === "string" && TEXTS[k] ? TEXTS[k] : (typeof values === "string" ? values : k);
  if (!values || typeof values !== "object") return text;
  return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    var value = values[name];
    return typeof value === "number" ? number(value) : String(value);
  });
}

var CONFIG = readJsonScript("board-config") || {};
export var escalateMs = (Number(CONFIG.escalate_after_seconds) > 0 ? Number(CONFIG.escalate_after_seconds) : 30) * 1000;
export var ZONE = typeof CONFIG.timezone === "string" && CONFIG.timezone ? CONFIG.timezone : undefined;

export var root = byId("board");
export var ME = { id: String(root.getAttribute("data-host-id")), name: root.getAttribute("data-host-name") || "" };

export var page = { started: false };

// Whether the catalogues have a text for `k`.
export function has(k) { return typeof TEXTS[k] === "string" && TEXTS[k] !== ""; }

var ERROR_KEYS = { network: "error_network", unauthorized: "error_signed_out", forbidden: "error_forbidden",
  not_found: "error_not_found", conflict: "error_conflict", rate_limited: "error_rate_limited",
  unavailable: "error_unavailable" };

/* What to tell the host when a request was refused or got no answer, in the page's
 * language: the catalogue's words for the error's code (the server's own message is
 * for developers and in English). `fieldPrefix` names texts for a bad field of a form
 * ("book_error_" + "starts_at"); `fallback` is the key for anything else. */
export function errorText(error, fallback, fieldPrefix) {
  var err = error || {};
  if (fieldPrefix && err.field && has(fieldPrefix + err.field)) return T(fieldPrefix + err.field);
  if (ERROR_KEYS[err.code]) return T(ERROR_KEYS[err.code]);
  if (/^http_/.test(String(err.code || ""))) return T("error_server");
  return T(fallback || "error_generic");
}
