/* The server's clock, as seen from this page.
 *
 * Timers count from the server's timestamps, so a browser whose clock is off would
 * show wrong waiting times. Each snapshot carries the server's time; the offset
 * to the local clock is kept here and serverNow() corrects by it.
 */
import { parseTime } from "./time.js";

var offset = 0; // server time - client time, ms

export function syncServerClock(iso) {
  var t = parseTime(iso);
  if (t !== null) offset = t - Date.now();
}

export function serverNow() {
  return Date.now() + offset;
}
