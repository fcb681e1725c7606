/* The words the board shows for the server's codes: statuses, actions, why a host
 * was chosen, why a visit escalated, presence, feedback, language names. Every word
 * comes from the catalogues ("board.js.<kind>_<code>"); language names from the
 * browser (Intl.DisplayNames) in the page's language. Codes without a label are made
 * readable by humanize().
 */
import { T, LANG } from "./page.js";

// {code: text} for each code, from the catalogue keys "<prefix><code>".
function labels(prefix, codes) {
  var table = {};
  codes.forEach(function (code) { table[code] = T(prefix + code); });
  return table;
}

export var STATUS_LABEL = labels("status_", ["waiting", "acknowledged", "greeted", "completed", "abandoned"]);
export var ACTION_LABEL = labels("", ["acknowledge", "greet", "complete", "abandon"]);
export var ASSIGN_LABEL = labels("assign_", ["dedicated", "appointment", "language", "topic", "least_loaded",
  "fallback", "unassigned"]);
export var ESCALATION_LABEL = labels("escalation_", ["timeout", "undelivered", "host_unavailable"]);
ESCALATION_LABEL.help_requested = T("help_reason");
export var PRESENCE_LABEL = labels("presence_", ["available", "busy", "away", "off"]);
export var APPT_STATUS_LABEL = labels("appt_status_", ["scheduled", "checked_in", "cancelled"]);
export var FEEDBACK_LABEL = labels("feedback_", [1, 2, 3]);

var languageNames = (function () {
  try { return new Intl.DisplayNames(LANG ? [LANG] : undefined, { type: "language" }); } catch (e) { return null; }
})();

// "Türkisch" for "tr" on a German board; the code itself where the browser knows no name.
export function languageName(code) {
  var c = String(code || "").toLowerCase();
  var name = "";
  try { name = languageNames && c ? languageNames.of(c) : ""; } catch (e) { name = ""; }
  return name && name.toLowerCase() !== c ? name : c.toUpperCase();
}

export function humanize(k) {
  var s = String(k).replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
