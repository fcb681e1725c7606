/* Today's appointments of this host, fetched over HTTP (on connect, every minute,
 * and shortly after a guest with an appointment arrives). Each row shows the time,
 * the customer, what to prepare and the code; a scheduled one can be cancelled
 * with two taps.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId, el, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { parseTime as ms } from "../common/time.js";
import { ME, T, errorText } from "./page.js";
import { APPT_STATUS_LABEL, humanize } from "./labels.js";
import { timeOf } from "./dates.js";

var apptsList = byId("appts-list");
var apptsError = byId("appts-error");
var apptsTimer = null;
var apptsLoading = false;
var apptsAgain = false;

// Soon, once: several arrivals in a row load the list once.
export function scheduleAppointments() {
  if (apptsTimer) clearTimeout(apptsTimer);
  apptsTimer = setTimeout(function () { apptsTimer = null; loadAppointments(); }, 300);
}

export function loadAppointments() {
  if (apptsLoading) { apptsAgain = true; return; }
  apptsLoading = true;
  request("GET", "/api/v1/appointments?host_id=" + encodeURIComponent(ME.id)).then(function (answer) {
    apptsLoading = false;
    if (answer.ok && answer.data && Array.isArray(answer.data.appointments)) {
      apptsError.hidden = true;
      renderAppointments(answer.data.appointments);
    } else {
      var err = answer.error || {};
      apptsError.textContent = T("appts_load_failed", { why: errorText(err) });
      apptsError.hidden = false;
    }
    if (apptsAgain) { apptsAgain = false; loadAppointments(); }
  });
}

function renderAppointments(list) {
  list = list.slice().sort(function (a, b) { return (ms(a.starts_at) || 0) - (ms(b.starts_at) || 0); });
  apptsList.textContent = "";
  list.forEach(function (a) {
    var li = el("li", "appt");
    li.setAttribute("data-appointment-id", key(a.id));
    li.setAttribute("data-status", a.status || "");
    li.appendChild(el("span", "appt-time", timeOf(a.starts_at)));
    var mainPart = el("div", "appt-main");
    mainPart.appendChild(el("strong", "appt-customer", a.customer && a.customer.name ? a.customer.name : T("appt_a_customer")));
    if (a.reason) mainPart.appendChild(el("span", "appt-reason", a.reason));
    if (a.notes) {
      var notes = el("p", "appt-notes");
      notes.appendChild(el("span", "appt-notes-label", T("appt_prepare")));
      notes.appendChild(document.createTextNode(a.notes));
      mainPart.appendChild(notes);
    }
    li.appendChild(mainPart);
    var side = el("div", "appt-side");
    var code = el("span", "appt-code-wrap");
    code.appendChild(el("span", "appt-code-label", T("appt_code")));
    code.appendChild(el("span", "appt-code", a.code || ""));
    side.appendChild(code);
    var badge = el("span", "badge appt-status", APPT_STATUS_LABEL[a.status] || humanize(a.status || ""));
    badge.setAttribute("data-status", a.status || "");
    side.appendChild(badge);
    if (a.status === "scheduled") {
      var cancel = el("button", "button button-small button-quiet appt-cancel", T("appt_cancel"));
      cancel.type = "button";
      cancel.setAttribute("data-action", "cancel-appointment");
      cancel.addEventListener("click", function () { cancelAppointment(a, cancel); });
      side.appendChild(cancel);
    }
    li.appendChild(side);
    apptsList.appendChild(li);
  });
  var open = list.filter(function (a) { return a.status !== "cancelled"; }).length;
  byId("appts-empty").hidden = list.length > 0;
  setText(byId("appts-count"), open ? String(open) : "");
}

function cancelAppointment(a, button) {
  // Two taps: the first asks, the second cancels.
  if (button.getAttribute("data-confirm") !== "true") {
    button.setAttribute("data-confirm", "true");
    button.textContent = T("appt_cancel_confirm");
    setTimeout(function () {
      if (button.isConnected) { button.removeAttribute("data-confirm"); button.textContent = T("appt_cancel"); }
    }, 4000);
    return;
  }
  button.disabled = true;
  request("POST", "/api/v1/appointments/" + encodeURIComponent(a.id) + "/cancel", {}).then(function (answer) {
    if (answer.error) {
      apptsError.textContent = T("appt_cancel_failed", { why: errorText(answer.error) });
      apptsError.hidden = false;
    }
    loadAppointments();
  });
}
