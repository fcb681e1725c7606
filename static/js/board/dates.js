/* Dates and times in the site's time zone (from the board config), falling back
 * to the browser's zone where the browser does not know the site's.
 *  - timeOf / dateOf: "14:05", "3 Mar 2025" for cards and appointments.
 *  - localInputValue: "YYYY-MM-DDTHH:MM" for a datetime-local input.
 */
import { parseTime } from "../common/time.js";
import { ZONE } from "./page.js";

function fmt(iso, options) {
  var t = parseTime(iso);
  if (t === null) return "";
  var opts = {};
  Object.keys(options).forEach(function (k) { opts[k] = options[k]; });
  if (ZONE) opts.timeZone = ZONE;
  try { return new Intl.DateTimeFormat(undefined, opts).format(new Date(t)); } catch (e) {
    delete opts.timeZone;
    return new Intl.DateTimeFormat(undefined, opts).format(new Date(t));
  }
}

export function timeOf(iso) { return fmt(iso, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); }
export function dateOf(iso) { return fmt(iso, { day: "numeric", month: "short", year: "numeric" }); }

function pad(n) { return (n < 10 ? "0" : "") + n; }

export function localInputValue(date) {
  // "YYYY-MM-DDTHH:MM" in the site's zone if known, else the browser's.
  if (ZONE) {
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
      return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
    } catch (e) { /* fall back to the browser's zone */ }
  }
  return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
    pad(date.getHours()) + ":" + pad(date.getMinutes());
}
