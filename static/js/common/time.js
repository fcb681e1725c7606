/* Reading the server's timestamps and writing durations for people.
 *
 * The API speaks ISO 8601; these turn it into milliseconds and durations into the
 * short forms the screens show: "05:07" (a running timer), "5:07" (inline text)
 * and "2 min 10 s" (figures).
 */

// Milliseconds since the epoch, or null for a missing or unreadable time.
export function parseTime(iso) {
  var t = iso ? Date.parse(iso) : NaN;
  return isNaN(t) ? null : t;
}

// "MM:SS", minutes padded: the timer on a card or a row.
export function mmss(msValue) {
  var s = Math.max(0, Math.floor(msValue / 1000));
  var m = Math.floor(s / 60);
  var r = s % 60;
  return (m < 10 ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
}

// "M:SS", minutes unpadded: a duration inside a sentence.
export function minSec(msValue) {
  var s = Math.max(0, Math.floor(msValue / 1000));
  var r = s % 60;
  return Math.floor(s / 60) + ":" + (r < 10 ? "0" : "") + r;
}

// Seconds as "45 s" or "2 min 10 s"; "–" for no figure.
export function secondsText(value) {
  if (value === null || value === undefined || isNaN(value)) return "–";
  var s = Math.round(Number(value));
  if (s < 60) return s + " s";
  var rest = s % 60;
  return Math.floor(s / 60) + " min" + (rest ? " " + rest + " s" : "");
}
