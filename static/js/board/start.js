/* The staff board, put together: wires every part of the board and exports start(),
 * which main.js calls on the "Start" tap. Each module's header says what it holds.
 *
 *  - "Start" unlocks sound (sound.js) and asks for notifications (notifications.js),
 *    then connects (socket.js, with sync.js's handlers) and starts the clocks:
 *    timers every second, the HTTP fallback poll, today's appointments every minute.
 *  - state.js holds the picture (visits, team); the parts that draw subscribe to
 *    its changes on the event bus (common/events.js) instead of being called.
 *  - Cards (cards.js, context.js, card_actions.js, own_host.js) sit in three lists
 *    (sections.js); finished ones under "Done today", with a minute to undo
 *    (done_today.js); alerts.js rings and announces; team.js and appointments.js /
 *    booking_form.js are the side panels; reach.js (the host's channels) and drill.js
 *    ("Test my alert", and the answer to the server's alert.drill) the panel below them.
 *  - header_menu.js folds the header's language choice and "Sign out" into a menu on a phone.
 *  - All text goes through textContent.
 */
import { byId } from "../common/dom.js";
import { root, page } from "./page.js";
import { forgetOldClosed } from "./state.js";
import { initAudio, chime, renderSound, wireSoundButton, resumeSuspendedAudio } from "./sound.js";
import { askNotifications, closeAllNotifications } from "./notifications.js";
import { remindWhileWaiting } from "./alerts.js";
import { refreshTimes } from "./sections.js";
import { refreshUndo } from "./done_today.js";
import { presenceBox, wirePresence } from "./team.js";
import { loadAppointments } from "./appointments.js";
import { wireBooking } from "./booking_form.js";
import { wireReach, loadChannels } from "./reach.js";
import { wireDrill } from "./drill.js";
import { wireHeaderMenu } from "./header_menu.js";
import { connect } from "./socket.js";
import { SERVER_EVENTS, poll } from "./sync.js";
// The rest of the board's modules, listed so the browser fetches them all at once
// when it reads this file, instead of one import level after another.
import "../common/dom.js";
import "../common/events.js";
import "../common/http.js";
import "../common/live_socket.js";
import "../common/server_clock.js";
import "../common/time.js";
import "../common/team_changes.js";
import "../common/visit_status.js";
import "./cards.js";
import "./card_actions.js";
import "./connection_status.js";
import "./context.js";
import "./dates.js";
import "./face_icon.js";
import "./labels.js";
import "./own_host.js";
import "./page.js";
import "./state.js";
import "./tab_badge.js";

var POLL_MS = 5000;
var APPOINTMENTS_POLL_MS = 60000;

var startPanel = byId("start-panel");
var main = byId("board-main");

function tick() {
  refreshTimes();
  refreshUndo();
  remindWhileWaiting();
  renderSound();
  forgetOldClosed();
}

wireHeaderMenu();
wirePresence();
wireBooking();
wireReach();
wireDrill();
wireSoundButton();

export function start() {
  page.started = true;
  initAudio();
  chime(true); // a soft confirmation that sound works
  askNotifications();
  startPanel.hidden = true;
  main.hidden = false;
  presenceBox.hidden = false;
  root.setAttribute("data-started", "true");
  connect(SERVER_EVENTS);
  loadAppointments();
  loadChannels();
  setInterval(tick, 1000);
  setInterval(poll, POLL_MS);
  setInterval(loadAppointments, APPOINTMENTS_POLL_MS);
  var first = main.querySelector("h2");
  if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
}

document.addEventListener("pointerdown", resumeSuspendedAudio, { passive: true });
document.addEventListener("visibilitychange", function () {
  if (!document.hidden) closeAllNotifications();
});
