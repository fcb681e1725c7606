/* The confirmation screen: its heading and status line, from the current visit
 * (state.current), drawn on STATUS_CHANGED and LANGUAGE_CHANGED.
 *
 * It says only what has really happened (the Visit's `alerted` and status):
 *   - sent, or no alert has reached anyone yet: "We're letting the team know …";
 *   - an alert reached a board or channel of the host: "We're letting Anna know.";
 *   - the team was called (nobody there, nobody reached, or no answer in time):
 *     "Please take a seat — we're getting someone for you.";
 *   - acknowledged: "Anna will be with you in a moment." (first name only);
 *   - "Please help me": the heading is "We've called the team." until someone
 *     acknowledges, then who is coming.
 * #status-line's data-state is notifying, coming or thanks; data-alerted is the
 * visit's `alerted` (pending before the server answered). A hint shows while the
 * check-in is still being resent (checkin_queue.js); an appointment code the server
 * did not find gets a friendly note (the check-in stands). A completed visit moves on
 * to the feedback screen. The QR code of the visit's status link (#follow-on-phone)
 * shows only once its image has loaded: no broken image where the server has none.
 */
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { state, root, codeNote, STATUS_CHANGED, LANGUAGE_CHANGED } from "./state.js";
import { t, fill } from "./strings.js";
import { isRetrying } from "./checkin_queue.js";
import { showFeedback } from "./feedback.js";
import { touch } from "./idle.js";

// The QR image of the visit's status link, drawn by the server for the kiosk that made the visit
// (kiosk/web/door: /kiosk/qr/<visit id>.svg); by the visit's id, as visit.updated carries no status_url.
function statusQrPath(visitId) { return "/kiosk/qr/" + visitId + ".svg"; }
var statusLine = byId("status-line");
var hint = byId("connecting-hint");
var confirmTitle = byId("confirm-title");
var followOnPhone = byId("follow-on-phone");
var followImage = byId("follow-on-phone-image");

function firstName(name) {
  return String(name || "").trim().split(/\s+/)[0] || "";
}

// While nobody has acknowledged: what the alert has reached so far.
function waitingLine(v) {
  var alerted = v ? v.alerted : null;
  var host = v && v.host ? firstName(v.host.name) : "";
  if (alerted === "team") return t("take_a_seat");
  if (alerted === "host" && host) return fill(t("letting_host_know"), host);
  return t("letting_team_know");
}

function comingLine(v) {
  var who = firstName((v.acknowledged_by && v.acknowledged_by.name) || (v.host && v.host.name));
  return who ? fill(t("coming"), who) : t("coming_someone");
}

function renderStatus() {
  var cur = state.current;
  var v = cur && cur.visit;
  var help = !!(cur && cur.help);
  var next = "notifying";
  var text = waitingLine(v);
  var acknowledged = !!(v && (v.status === "acknowledged" || v.status === "greeted"));
  var heading = t(help && !acknowledged ? "help_title" : "noticed");
  if (heading && confirmTitle.textContent !== heading) confirmTitle.textContent = heading;
  root.setAttribute("data-help", help ? "true" : "false");
  if (acknowledged) {
    next = "coming";
    text = comingLine(v);
  } else if (v && v.status === "completed") {
    next = "thanks";
    text = t("thanks") || t("noticed");
  }
  if (statusLine.textContent !== text) statusLine.textContent = text;
  statusLine.setAttribute("data-alerted", v && v.alerted ? v.alerted : "pending");
  if (statusLine.getAttribute("data-state") !== next) {
    statusLine.setAttribute("data-state", next);
    touch(); // a visible change of the screen restarts the idle clock
  }
  hint.hidden = !(cur && isRetrying(cur.client_id));
  codeNote.hidden = !(cur && cur.form && cur.form.code && v &&
    Object.prototype.hasOwnProperty.call(v, "appointment") && v.appointment === null);
  renderFollowOnPhone(v);
  if (v && v.status === "completed" && state.screen === "confirm") showFeedback();
}

function renderFollowOnPhone(v) {
  var source = v && typeof v.id === "number" ? statusQrPath(v.id) : "";
  if (followImage.getAttribute("data-for") === source) return;
  followImage.setAttribute("data-for", source);
  followOnPhone.hidden = true;
  if (source) followImage.src = source;
  else followImage.removeAttribute("src");
}

followImage.addEventListener("load", function () {
  if (followImage.getAttribute("data-for")) followOnPhone.hidden = false;
});
followImage.addEventListener("error", function () { followOnPhone.hidden = true; });

on(STATUS_CHANGED, renderStatus);
on(LANGUAGE_CHANGED, renderStatus);
