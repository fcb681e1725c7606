/* /admin/webhooks: keep each endpoint's delivery log current.
 *
 * The page is complete without JavaScript (reload to update). With it, every few
 * seconds the log of each endpoint is read again from GET /api/v1/webhooks/<id>/deliveries
 * and redrawn, so a test event, a retry or a give-up shows up by itself. Built
 * with textContent only: a URL or error text never becomes markup. Its words come from the
 * catalogues in the page's language (#webhooks-texts: the "webhooks.js.*" keys, English
 * filling gaps), as the board's do.
 */

import { request } from "./common/http.js";
import { el, readJsonScript } from "./common/dom.js";

var POLL_MS = 2000;
var LIMIT = 10;
var TEXTS = readJsonScript("webhooks-texts") || {};

// The text of `key`, its {placeholders} filled from `values`.
function t(key, values) {
  var text = typeof TEXTS[key] === "string" ? TEXTS[key] : key;
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

function shortTime(iso) {
  return iso ? iso.slice(0, 19).replace("T", " ") : "—";
}

function attemptItem(attempt) {
  var what = attempt.status_code ? "HTTP " + attempt.status_code : attempt.error;
  var item = el("li", null, attempt.at.slice(11, 19) + " · " + what + " · " + t("duration", { ms: attempt.duration_ms }));
  item.dataset.statusCode = attempt.status_code ? String(attempt.status_code) : "";
  return item;
}

function deliveryRow(delivery) {
  var row = el("tr");
  row.dataset.deliveryId = delivery.id;
  row.dataset.status = delivery.status;
  var created = el("td");
  var time = el("time", null, shortTime(delivery.created_at));
  time.setAttribute("datetime", delivery.created_at);
  created.appendChild(time);
  var event = el("td");
  event.appendChild(el("code", null, delivery.event));
  if (delivery.visit_id) event.appendChild(document.createTextNode(t("visit", { id: delivery.visit_id })));
  var attempts = el("ol", "webhook-attempts");
  if (delivery.attempts.length) delivery.attempts.forEach(function (a) { attempts.appendChild(attemptItem(a)); });
  else attempts.appendChild(el("li", "muted", t("not_sent")));
  var attemptsCell = el("td");
  attemptsCell.appendChild(attempts);
  var retry = delivery.status === "pending" && delivery.attempts.length ? shortTime(delivery.next_attempt_at) : "—";
  [created, event, el("td", "delivery-status", t("status_" + delivery.status)), attemptsCell,
    el("td", null, retry)].forEach(function (cell) { row.appendChild(cell); });
  return row;
}

function redraw(tbody, deliveries) {
  var rows = deliveries.map(deliveryRow);
  if (!rows.length) {
    var empty = el("tr", "webhook-log-empty");
    var cell = el("td", "muted", t("no_deliveries"));
    cell.colSpan = 5;
    empty.appendChild(cell);
    rows = [empty];
  }
  tbody.replaceChildren.apply(tbody, rows);
}

function refresh(tbody) {
  var url = "/api/v1/webhooks/" + encodeURIComponent(tbody.dataset.deliveriesFor) + "/deliveries?limit=" + LIMIT;
  // Offline for a moment (no answer): the next round tries again.
  return request("GET", url, undefined, { timeoutMs: 8000 }).then(function (answer) {
    if (answer.ok && answer.data && Array.isArray(answer.data.deliveries)) redraw(tbody, answer.data.deliveries);
  });
}

function poll() {
  var bodies = Array.prototype.slice.call(document.querySelectorAll("tbody[data-deliveries-for]"));
  Promise.all(bodies.map(refresh)).then(function () { setTimeout(poll, POLL_MS); });
}

setTimeout(poll, POLL_MS);
