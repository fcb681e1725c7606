/* The board's live connection (Socket.IO, as "host"): connecting, reconnecting and
 * saying so in the header (connection_status.js), and asking the server for the
 * whole picture again every minute (board.resync heals an event lost while the
 * servers' message queue was down).
 *
 * connect(handlers) takes what to do with each server event, by name
 * ({"board.snapshot": fn, ...}; sync.js has the board's); board.resync's answer
 * goes to the "board.snapshot" handler. currentSocket() is the socket for the parts
 * that send over it (card_actions.js, team.js); isLive() says whether it is up.
 */
import { keepConnected, socketIoLoaded } from "../common/live_socket.js";
import { T } from "./page.js";
import { loadAppointments } from "./appointments.js";
import { setConn, showBanner, hideBanner } from "./connection_status.js";

var RESYNC_MS = 60 * 1000;
var socket = null;
var live = false;

export function currentSocket() { return socket; }

export function isLive() { return live; }

function signedOut() {
  live = false;
  setConn("offline", T("conn_signed_out"));
  showBanner(T("board_signed_out"), true);
}

export function connect(handlers) {
  if (!socketIoLoaded()) {
    setConn("offline", T("conn_offline"));
    return;
  }
  setConn("connecting", T("connecting"));
  socket = window.io({ auth: { as: "host" } });
  keepConnected(socket, {
    up: function () {
      live = true;
      hideBanner();
      setConn("live", T("live"));
      loadAppointments();
    },
    down: function () {
      live = false;
      setConn("reconnecting", T("reconnecting"));
    },
    refused: signedOut, // the server refused us: most likely the sign-in has ended
    failed: function () {
      live = false;
      setConn("reconnecting", T("reconnecting"));
    },
    retrying: function () { setConn("reconnecting", T("reconnecting")); }
  }, 3000);
  Object.keys(handlers).forEach(function (name) { socket.on(name, handlers[name]); });
  setInterval(function () {
    if (live) socket.emit("board.resync", {}, handlers["board.snapshot"]);
  }, RESYNC_MS);
  socket.on("session.ended", function () { // a new PIN, or deactivated: this board is signed out
    socket.disconnect();
    signedOut();
  });
}
