/* The team: the strip of colleagues with their presence, and this host's own
 * presence buttons (available / away / off).
 *
 * The server keeps the status; the team list (state.js's TEAM_CHANGED) tells this
 * board what it is. "busy" is automatic while serving a greeted guest (the chosen
 * status stays available): the control then shows "Busy" where "Available" was.
 * A change is sent over the live socket; while it is on its way, team updates do
 * not flip the buttons back.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId, el } from "../common/dom.js";
import { on } from "../common/events.js";
import { ME, T, errorText } from "./page.js";
import { PRESENCE_LABEL } from "./labels.js";
import { state, setMyStatus, changed, TEAM_CHANGED } from "./state.js";
import { currentSocket } from "./socket.js";
import { showBanner } from "./connection_status.js";

export var presenceBox = byId("presence");
var presenceBusy = byId("presence-busy");
var presenceButtons = Array.prototype.slice.call(presenceBox.querySelectorAll("[data-presence]"));
var availableButton = presenceBox.querySelector('[data-presence="available"]');
var availableLabel = availableButton.querySelector(".presence-chosen");
var busyLabel = availableButton.querySelector(".presence-busy-label");
var presence = "available";
var presencePending = false;

// A new team list (state.js's TEAM_CHANGED, with this host's entry or null).
function showTeam(me) {
  var strip = byId("team-strip");
  strip.textContent = "";
  state.team.forEach(function (h) {
    var status = PRESENCE_LABEL[h.status] ? h.status : "away";
    var li = el("li", "team-member");
    li.setAttribute("data-host-id", key(h.id));
    li.setAttribute("data-presence-status", status);
    if (key(h.id) === ME.id) li.setAttribute("data-me", "true");
    var dot = el("span", "presence-dot");
    dot.setAttribute("aria-hidden", "true");
    li.appendChild(dot);
    li.appendChild(el("span", "team-name", key(h.id) === ME.id ? T("you_suffix", { name: h.name }) : h.name));
    li.appendChild(el("span", "team-status", PRESENCE_LABEL[status]));
    strip.appendChild(li);
  });
  if (me) {
    if (!presencePending) {
      presence = me.status === "away" || me.status === "off" ? me.status : "available";
    }
    showPresence();
  }
}

// The status as it really is: while serving a greeted guest the chosen "available" reads
// "Busy" (and stays pressed: tapping it keeps available); away and off stay a tap away.
function showPresence() {
  presenceButtons.forEach(function (b) {
    b.setAttribute("aria-pressed", b.getAttribute("data-presence") === presence ? "true" : "false");
  });
  var shown = state.myStatus === "busy" && presence === "available" ? "busy" : presence;
  presenceBox.setAttribute("data-status", shown);
  presenceBusy.hidden = shown !== "busy";
  availableLabel.hidden = shown === "busy";
  busyLabel.hidden = shown !== "busy";
  if (shown === "busy") availableButton.setAttribute("aria-describedby", "presence-busy");
  else availableButton.removeAttribute("aria-describedby");
}

function sendPresence() {
  var socket = currentSocket();
  if (!socket || !socket.connected) {
    showBanner(T("presence_offline"), false);
    return;
  }
  var wanted = presence;
  presencePending = true;
  socket.timeout(8000).emit("host.presence", { status: wanted }, function (err, answer) {
    if (wanted === presence) presencePending = false;
    if (err || !answer || answer.error) {
      showBanner(T("presence_failed", { why: errorText(err ? { code: "network" } : answer && answer.error) }), false);
      return;
    }
    if (answer.status && wanted === presence) {
      presence = answer.status === "away" || answer.status === "off" ? answer.status : "available";
      if (state.myStatus !== "busy" || presence !== "available") setMyStatus(presence);
      showPresence();
      changed(); // step-in depends on being available
    }
  });
}

export function wirePresence() {
  on(TEAM_CHANGED, showTeam);
  presenceButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      presence = b.getAttribute("data-presence");
      showPresence();
      sendPresence();
    });
  });
  showPresence();
}
