/* What a host can do with a visit, from its card: acknowledge ("I've seen it"),
 * greet, complete (with an optional outcome note), or mark that the guest left.
 *
 * Acknowledge goes over the live socket when it is up (the fastest path to the
 * kiosk), else over HTTP; the rest is HTTP. While a request runs the card's buttons
 * are disabled (aria-busy); a failure shows on the card for a few seconds, and a
 * conflict reloads the visit.
 */
import { el } from "../common/dom.js";
import { request } from "../common/http.js";
import { T, errorText } from "./page.js";
import { ACTION_LABEL } from "./labels.js";
import { state, upsert, changed } from "./state.js";
import { initAudio } from "./sound.js";
import { currentSocket } from "./socket.js";
import { showBanner } from "./connection_status.js";

var ACTIONS = {
  waiting: ["acknowledge", "greet", "abandon"],
  acknowledged: ["greet", "abandon"],
  greeted: ["complete"]
};
var ERROR_SHOW_MS = 6000;

export function renderActions(card, v) {
  var list = ACTIONS[v.status] || [];
  var sig = v.status;
  if (card.actionsFor === sig) return;
  card.actionsFor = sig;
  card.actions.textContent = "";
  card.note = null;
  if (v.status === "greeted") {
    var wrap = el("div", "note-field");
    var inputId = "note-" + card.id.replace(/[^A-Za-z0-9_-]/g, "_");
    var label = el("label", "note-label", T("note_label"));
    label.setAttribute("for", inputId);
    var input = el("input", "note-input");
    input.type = "text";
    input.id = inputId;
    input.name = "note";
    input.maxLength = 2000;
    input.autocomplete = "off";
    input.setAttribute("data-role", "note");
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); act(card, "complete"); }
    });
    wrap.appendChild(label);
    wrap.appendChild(input);
    card.actions.appendChild(wrap);
    card.note = input;
  }
  list.forEach(function (action) {
    var b = el("button", "button action action-" + action, ACTION_LABEL[action]);
    b.type = "button";
    b.setAttribute("data-action", action);
    if (action === "acknowledge" || action === "complete" || (action === "greet" && v.status === "acknowledged")) {
      b.className += " button-primary";
    }
    card.actions.appendChild(b);
  });
  setBusy(card, card.busy);
}

function setBusy(card, busy) {
  card.busy = busy;
  card.root.setAttribute("aria-busy", busy ? "true" : "false");
  var buttons = card.actions.querySelectorAll("button");
  for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
}

export function showCardError(card, message) {
  if (card.errorTimer) clearTimeout(card.errorTimer);
  card.error.textContent = message;
  card.error.hidden = false;
  card.errorTimer = setTimeout(function () {
    card.error.hidden = true;
    card.error.textContent = "";
    card.errorTimer = null;
  }, ERROR_SHOW_MS);
}

// A step sent as Socket.IO `event` ({visit_id}) when the live socket is up (the fastest
// path to the kiosk), else, or without an answer, as a POST to /api/v1/visits/<id>/<step>.
export function sendStep(event, rawId, step) {
  var socket = currentSocket();
  var path = "/api/v1/visits/" + encodeURIComponent(String(rawId)) + "/" + step;
  return new Promise(function (resolve) {
    if (!socket || !socket.connected) {
      resolve(request("POST", path, {}));
      return;
    }
    socket.timeout(8000).emit(event, { visit_id: rawId }, function (err, answer) {
      if (err || !answer) {
        resolve(request("POST", path, {}));
      } else {
        // The socket's answer ({visit} or {error}) in http.js's answer shape; no HTTP status.
        resolve({ ok: !!answer.visit, status: null, data: answer, error: answer.error || null, headers: null });
      }
    });
  });
}

export function act(card, action) {
  if (card.busy) return;
  var v = state.visits.get(card.id);
  if (!v) return;
  initAudio(); // any tap is a chance to unlock sound again
  setBusy(card, true);
  var p;
  if (action === "acknowledge") {
    p = sendStep("visit.acknowledge", v.id, "acknowledge");
  } else {
    var body = {};
    if (action === "complete" && card.note && card.note.value.trim()) body.note = card.note.value.trim();
    p = request("POST", "/api/v1/visits/" + encodeURIComponent(card.id) + "/" + action, body);
  }
  p.then(function (answer) {
    setBusy(card, false);
    if (answer.ok && answer.data && answer.data.visit) {
      upsert(answer.data.visit);
      changed();
      return;
    }
    var err = answer.error || {};
    if (answer.status === 401 || err.code === "unauthorized") showBanner(T("signed_out"), true);
    showCardError(card, errorText(err));
    if (answer.status === 409 || err.code === "conflict" || answer.status === 404) refreshVisit(card.id);
  });
}

function refreshVisit(id) {
  request("GET", "/api/v1/visits/" + encodeURIComponent(id)).then(function (answer) {
    if (answer.ok && answer.data && answer.data.visit) { upsert(answer.data.visit); changed(); }
  });
}
