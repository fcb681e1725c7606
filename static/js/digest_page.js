/* /stats/digest: say what became of each channel's test digest without a reload.
 *
 * The page is complete without JavaScript: after "Send a test digest now" (POST → 303 → GET)
 * it says per channel that the test is on its way, delivered, or failed and why; a reload
 * shows the newest. With it, while any channel's test is on its way, GET /api/v1/digest is
 * read again every second and each channel's line redrawn, until none is on its way. Built
 * with textContent only: an error text never becomes markup. Its words come from the
 * catalogues in the page's language (#digest-texts: the "digest_page.js.*" keys, English
 * filling gaps), the same the server wrote the lines with.
 */

import { request } from "./common/http.js";
import { readJsonScript, setText } from "./common/dom.js";

var POLL_MS = 1000;
var TEXTS = readJsonScript("digest-texts") || {};
var ZONE = readJsonScript("digest-zone") || "UTC";

// The text of `key`, its {placeholders} filled from `values`.
function t(key, values) {
  var text = typeof TEXTS[key] === "string" ? TEXTS[key] : key;
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

// An instant as the site's clock shows it, HH:MM:SS (as the server writes it).
function clockTime(iso) {
  var format = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  return format.format(new Date(iso));
}

function lineOf(test) {
  var delivery = test.delivery || {};
  return t("test_" + test.state, { at: clockTime(test.asked_at), ms: delivery.ms, error: delivery.error });
}

function redraw(channels) {
  var sending = false;
  channels.forEach(function (channel) {
    var node = document.getElementById("digest-test-result-" + channel.id);
    if (!node || !channel.last_test) return;
    node.dataset.state = channel.last_test.state;
    setText(node, lineOf(channel.last_test));
    if (channel.last_test.state === "sending") sending = true;
  });
  return sending;
}

function anySending() {
  return document.querySelector('.digest-test-result[data-state="sending"]') !== null;
}

function poll() {
  // No answer for a moment (offline): the next round tries again.
  request("GET", "/api/v1/digest", undefined, { timeoutMs: 8000 }).then(function (answer) {
    var channels = answer.ok && answer.data && answer.data.digest && answer.data.digest.channels;
    var sending = Array.isArray(channels) ? redraw(channels) : true;
    if (sending) setTimeout(poll, POLL_MS);
  });
}

if (anySending()) setTimeout(poll, POLL_MS);
