/* Gastgeber staff board — the page's entry point.
 *
 * The board is some twenty modules (start.js puts them together); fetching them
 * takes a moment longer than this one file. So this file has no static imports:
 * it starts loading the board at once and takes the "Start" tap right away, even
 * if it comes before the board is in; start() runs as soon as it is.
 */

var board = import("./start.js");
import("./push.js").then(function (push) { push.install(); }); // installable board, Web Push on this device
var startButton = document.getElementById("start-button");
var requested = false;

startButton.addEventListener("click", function () {
  if (requested) return; // Start hides itself; a second tap while loading changes nothing
  requested = true;
  board.then(function (loaded) { loaded.start(); });
});
