/* "Done today", and a minute to take a "Done" back.
 *
 * state.done (state.js) holds today's completed visits this host looked after; the
 * snapshot brings them on every (re)connect, so the list survives a reload. render()
 * lists them newest first in the collapsed #done-today. A visit completed less than
 * UNDO_MS ago (by the server's clock) also gets a line under "For you", where its card
 * was, with "Undo": visit.undo_complete over the live socket (a POST to
 * /api/v1/visits/<id>/undo-complete when it is down). The answer, the visit greeted
 * again, brings its card back (state.js takes it as the completion undone).
 * refreshUndo() is the once-a-second part: a line whose minute is over leaves.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId, el, setText } from "../common/dom.js";
import { on } from "../common/events.js";
import { parseTime } from "../common/time.js";
import { serverNow } from "../common/server_clock.js";
import { T, errorText } from "./page.js";
import { timeOf } from "./dates.js";
import { state, upsert, changed, nameOf, isMine, PICTURE_CHANGED } from "./state.js";
import { sendStep } from "./card_actions.js";
import { announce } from "./alerts.js";
import { showBanner } from "./connection_status.js";

var UNDO_MS = 60 * 1000; // the server's window (kiosk/domain/visits.py, UNDO_COMPLETE_SECONDS)

var doneList = byId("done-list");
var justDone = byId("just-done");
var lines = new Map(); // id -> {root, text, button, error}: the undo lines shown
var pending = new Set(); // ids whose undo is on its way
var refused = new Map(); // id -> why the server refused its undo

function newestFirst() {
  return Array.from(state.done.values()).sort(function (a, b) {
    return (parseTime(b.completed_at) || 0) - (parseTime(a.completed_at) || 0);
  });
}

function undoable(v) {
  var at = parseTime(v.completed_at);
  return at !== null && serverNow() - at < UNDO_MS;
}

function renderList(list) {
  doneList.textContent = "";
  list.forEach(function (v) {
    var item = el("li", "done-item");
    item.setAttribute("data-done-visit-id", key(v.id));
    item.appendChild(el("span", "done-name", nameOf(v)));
    var parts = [T("done_at", { time: timeOf(v.completed_at) })];
    if (!isMine(v) && v.host && v.host.name) parts.push(T("meta_host", { name: v.host.name }));
    item.appendChild(el("span", "done-meta", parts.join(" \u00b7 ")));
    doneList.appendChild(item);
  });
  byId("done-empty").hidden = list.length > 0;
  setText(byId("done-count"), list.length ? String(list.length) : "");
}

function buildLine(id) {
  var line = { root: el("li", "just-done-item"), text: el("span", "just-done-text"),
    button: el("button", "button button-small just-done-undo", T("undo")), error: el("span", "card-error") };
  line.root.setAttribute("data-done-visit-id", id);
  line.button.type = "button";
  line.button.addEventListener("click", function () { undo(id); });
  line.error.setAttribute("role", "alert");
  line.root.appendChild(line.text);
  line.root.appendChild(line.button);
  line.root.appendChild(line.error);
  lines.set(id, line);
  return line;
}

// The undo lines, updated in place (a focused "Undo" keeps its focus while its minute lasts).
function renderLines(list) {
  var wanted = list.filter(undoable);
  var ids = new Set(wanted.map(function (v) { return key(v.id); }));
  lines.forEach(function (line, id) {
    if (ids.has(id)) return;
    if (line.root.parentNode) line.root.parentNode.removeChild(line.root);
    lines.delete(id);
    refused.delete(id);
  });
  wanted.forEach(function (v, i) {
    var id = key(v.id);
    var line = lines.get(id) || buildLine(id);
    setText(line.text, T("just_done", { name: nameOf(v) }));
    line.button.setAttribute("aria-label", T("undo_named", { name: nameOf(v) }));
    line.button.disabled = pending.has(id) || refused.has(id);
    setText(line.error, refused.get(id) || "");
    line.error.hidden = !refused.has(id);
    var at = justDone.children[i];
    if (at !== line.root) justDone.insertBefore(line.root, at || null);
  });
}

function render() {
  var list = newestFirst();
  renderList(list);
  renderLines(list);
}

function undo(id) {
  var v = state.done.get(id);
  if (!v || pending.has(id)) return;
  pending.add(id);
  renderLines(newestFirst());
  sendStep("visit.undo_complete", v.id, "undo-complete").then(function (answer) {
    pending.delete(id);
    var back = answer.ok && answer.data && answer.data.visit;
    if (back) {
      if (upsert(back) && back.status === "greeted") announce(T("undone", { name: nameOf(back) }));
      changed();
      return;
    }
    var err = answer.error || {};
    if (answer.status === 401 || err.code === "unauthorized") showBanner(T("signed_out"), true);
    refused.set(id, err.code === "conflict" ? T("undo_too_late") : errorText(err));
    renderLines(newestFirst());
  });
}

export function refreshUndo() {
  if (lines.size) renderLines(newestFirst());
}

on(PICTURE_CHANGED, render);
