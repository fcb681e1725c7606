/* Booking an appointment from the board (the "Book an appointment" details).
 *
 * The start defaults to the next quarter hour at least 15 minutes ahead, in the
 * site's time zone; the host list is the team, this host chosen. A booked
 * appointment shows its code large (#booked-code), to tell the customer.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId, el, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { serverNow as now } from "../common/server_clock.js";
import { ME, T, errorText } from "./page.js";
import { timeOf, dateOf, localInputValue } from "./dates.js";
import { on } from "../common/events.js";
import { state, TEAM_CHANGED } from "./state.js";
import { loadAppointments } from "./appointments.js";

var bookForm = byId("book-form");
var bookDetails = byId("book");
var bookError = byId("book-error");
var bookHost = byId("book-host_id");
var bookStarts = byId("book-starts_at");
var booked = byId("booked");

function defaultStart() {
  // The next quarter hour at least 15 minutes ahead, kept on today.
  var t = new Date(now() + 15 * 60000);
  t.setSeconds(0, 0);
  t.setMinutes(Math.ceil(t.getMinutes() / 15) * 15);
  var today = localInputValue(new Date(now())).slice(0, 10);
  var value = localInputValue(t);
  return value.slice(0, 10) === today ? value : today + "T23:45";
}

function renderBookHosts() {
  var chosen = bookHost.value || ME.id;
  var options = state.team.length ? state.team : [{ id: ME.id, name: ME.name }];
  var sig = JSON.stringify(options.map(function (h) { return [h.id, h.name]; }));
  if (bookHost.getAttribute("data-sig") === sig) return;
  bookHost.setAttribute("data-sig", sig);
  bookHost.textContent = "";
  options.forEach(function (h) {
    var opt = el("option", null, key(h.id) === ME.id ? T("you_suffix", { name: h.name }) : h.name);
    opt.value = key(h.id);
    bookHost.appendChild(opt);
  });
  bookHost.value = chosen;
  if (bookHost.value !== chosen) bookHost.value = ME.id;
}

function setBookError(field, message) {
  Array.prototype.forEach.call(bookForm.querySelectorAll("[aria-invalid]"), function (n) { n.removeAttribute("aria-invalid"); });
  if (!message) { bookError.hidden = true; bookError.textContent = ""; return; }
  bookError.textContent = message;
  bookError.hidden = false;
  var input = field ? byId("book-" + field) : null;
  if (input) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "book-error"); input.focus(); }
}

function onSubmit(ev) {
  ev.preventDefault();
  var val = function (name) { var n = byId("book-" + name); return n ? n.value.trim() : ""; };
  if (!val("customer_name")) { setBookError("customer_name", T("book_error_customer_name")); return; }
  if (!val("starts_at")) { setBookError("starts_at", T("book_error_starts_at")); return; }
  setBookError(null, "");
  var body = { customer_name: val("customer_name"), starts_at: val("starts_at") };
  ["phone", "email", "reason", "notes"].forEach(function (name) { if (val(name)) body[name] = val(name); });
  if (bookHost.value) body.host_id = Number(bookHost.value);
  var submit = byId("book-submit");
  submit.disabled = true;
  request("POST", "/api/v1/appointments", body).then(function (answer) {
    submit.disabled = false;
    if (answer.ok && answer.data && answer.data.appointment) {
      var a = answer.data.appointment;
      var who = a.customer && a.customer.name ? a.customer.name : body.customer_name;
      var when = { name: who, date: dateOf(a.starts_at), time: timeOf(a.starts_at), host: a.host && a.host.name };
      setText(byId("booked-text"), T(when.host ? "booked_with" : "booked", when));
      setText(byId("booked-code"), a.code || "");
      booked.hidden = false;
      bookForm.reset();
      renderBookHosts();
      bookHost.value = ME.id;
      bookStarts.value = defaultStart();
      loadAppointments();
      return;
    }
    var err = answer.error || {};
    var field = err.field === "host_id" ? "host_id" : err.field;
    setBookError(field, errorText(err, "book_failed", "book_error_"));
  });
}

export function wireBooking() {
  on(TEAM_CHANGED, renderBookHosts);
  bookDetails.addEventListener("toggle", function () {
    if (bookDetails.open && !bookStarts.value) bookStarts.value = defaultStart();
  });
  bookForm.addEventListener("submit", onSubmit);
}
