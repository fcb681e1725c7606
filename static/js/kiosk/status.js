/* The confirmation screen: its heading and status line, from the current visit
 * (state.current), drawn on STATUS_CHANGED and LANGUAGE_CHANGED.
 *
 * "we noticed you" (or "help is on its way"), then who is coming, then thanks;
 * a hint while the check-in is still being resent (checkin_queue.js); an
 * appointment code the server did not find gets a friendly note (the check-in
 * stands). A completed visit moves on to the feedback screen.
 */
import { byId } from "../common/dom.js";
import { on } from "../common/events.js";
import { state, root, codeNote, STATUS_CHANGED, LANGUAGE_CHANGED } from "./state.js";
import { t, fill } from "./strings.js";
import { isRetrying } from "./checkin_queue.js";
import { showFeedback } from "./feedback.js";
import { touch } from "./idle.js";

var statusLine = byId("status-line");
var hint = byId("connecting-hint");
var confirmTitle = byId("confirm-title");

function renderStatus() {
  var cur = state.current;
  var v = cur && cur.visit;
  var help = !!(cur && cur.help);
  var next = "notifying";
  var text = t(help ? "help_notifying" : "notifying");
  var heading = t(help ? "help_title" : "noticed");
  if (heading && confirmTitle.textContent !== heading) confirmTitle.textContent = heading;
  root.setAttribute("data-help", help ? "true" : "false");
  if (v && (v.status === "acknowledged" || v.status === "greeted")) {
    var who = (v.acknowledged_by && v.acknowledged_by.name) || (v.host && v.host.name) || "";
    next = "coming";
    text = who ? fill(t("coming"), String(who)) : t("coming_someone");
  } else if (v && v.status === "completed") {
    next = "thanks";
    text = t("thanks") || t("noticed");
  }
  if (statusLine.textContent !== text) statusLine.textContent = text;
  if (statusLine.getAttribute("data-state") !== next) {
    statusLine.setAttribute("data-state", next);
    touch(); // a visible change of the screen restarts the idle clock
  }
  hint.hidden = !(cur && isRetrying(cur.client_id));
  codeNote.hidden = !(cur && cur.form && cur.form.code && v &&
    Object.prototype.hasOwnProperty.call(v, "appointment") && v.appointment === null);
  if (v && v.status === "completed" && state.screen === "confirm") showFeedback();
}

on(STATUS_CHANGED, renderStatus);
on(LANGUAGE_CHANGED, renderStatus);
