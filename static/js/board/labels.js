/* The words the board shows for the server's codes: statuses, actions, why a host
 * was chosen, why a visit escalated, presence, feedback, language names.
 * Codes without a label are made readable by humanize().
 */
import { T } from "./page.js";

export var STATUS_LABEL = {
  waiting: "Waiting",
  acknowledged: "Seen",
  greeted: "Greeted",
  completed: "Done",
  abandoned: "Left"
};
export var ACTION_LABEL = {
  acknowledge: T("acknowledge", "I've seen it"),
  greet: T("greet", "Greeted"),
  complete: T("complete", "Done"),
  abandon: T("abandon", "Left without greeting")
};
export var ASSIGN_LABEL = {
  dedicated: "their own host",
  appointment: "their appointment",
  language: "speaks their language",
  topic: "knows their topic",
  least_loaded: "fewest guests right now",
  fallback: "nobody was free",
  unassigned: "no host yet"
};
export var ESCALATION_LABEL = {
  timeout: "not acknowledged in time",
  undelivered: "the alert did not reach their board",
  host_unavailable: "their host is away",
  help_requested: T("help_reason", "asked for help at the kiosk")
};
export var PRESENCE_LABEL = { available: "available", busy: "busy", away: "away", off: "off" };
export var APPT_STATUS_LABEL = { scheduled: "Scheduled", checked_in: "Checked in", cancelled: "Cancelled" };
export var FEEDBACK_LABEL = { 1: "unhappy", 2: "okay", 3: "happy" };
var LANGUAGE_NAME = { de: "German", en: "English", tr: "Turkish", fr: "French", es: "Spanish", it: "Italian",
  pl: "Polish", ar: "Arabic", ru: "Russian", uk: "Ukrainian" };

export function languageName(code) {
  var c = String(code || "").toLowerCase();
  return LANGUAGE_NAME[c] || c.toUpperCase();
}

export function humanize(k) {
  var s = String(k).replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
