/* Dates and times in the site's time zone (from the board config), falling back
 * to the browser's zone where the browser does not know the site's, written the way
 * the page's language writes them (Intl with <html lang>).
 *  - timeOf / dateOf: "14:05", "3. März 2025" for cards and appointments.
 *  - clockOf / durationOf: a running timer "05:07" and a duration in a sentence "5:07",
 *    with the language's digits.
 *  - localInputValue: "YYYY-MM-DDTHH:MM" for a datetime-local input.
 */
import { parseTime } from "../common/time.js";
import { ZONE, LANG } from "./page.js";

function fmt(iso, options) {
  var t = parseTime(iso);
  if (t === null) return "";
  var opts = {};
  Object.keys(options).forEach(function (k) { opts[k] = options[k]; });
  if (ZONE) opts.timeZone = ZONE;
  try { return new Intl.DateTimeFormat(LANG, opts).format(new Date(t)); } catch (e) {
    delete opts.timeZone;
    return new Intl.DateTimeFormat(LANG, opts).format(new Date(t));
  }
}

export function timeOf(iso) { return fmt(iso, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); }
export function dateOf(iso) { return fmt(iso, { day: "numeric", month: "short", year: "numeric" }); }

var twoDigits = (function () {
  try { return new Intl.NumberFormat(LANG, { minimumIntegerDigits: 2, useGrouping: false }); } catch (e) {
    return new Intl.NumberFormat(undefined, { minimumIntegerDigits: 2, useGrouping: false });
  }
})();
var plain = (function () {
  try { return new Intl.NumberFormat(LANG, { useGrouping: false }); } catch (e) { return new Intl.NumberFormat(); }
})();

function minutesAndSeconds(msValue) {
  var s = Math.max(0, Math.floor(msValue / 1000));
  return [Math.floor(s / 60), s % 60];
}

// "05:07": a card's running timer.
export function clockOf(msValue) {
  var ms = minutesAndSeconds(msValue);
  return twoDigits.format(ms[0]) + ":" + twoDigits.format(ms[1]);
}

// "5:07": a duration inside a sentence.
export function durationOf(msValue) {
  var ms = minutesAndSeconds(msValue);
  return plain.format(ms[0]) + ":" + twoDigits.format(ms[1]);
}

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
