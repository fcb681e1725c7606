/* The drill, "Test my alert" (POST /api/v1/drills), from both ends.
 *
 *  - onDrill: the server's `alert.drill` to every board of this host. The board shows
 *    a test banner, plays the chime and shows a test notification, then answers what
 *    really happened: shown, whether the sound really started (sound.js's testSound:
 *    the AudioContext was running), the notification permission and whether the
 *    notification was shown. The server reports it back, board by board.
 *  - the button: runs the drill and shows, device by device and channel by channel,
 *    what happened (delivered, sound played, notification shown, or what failed and why).
 */
import { byId, el, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { T, has, errorText } from "./page.js";
import { testSound } from "./sound.js";
import { testNotification } from "./notifications.js";
import { loadChannels } from "./reach.js";

var button = byId("drill-button");
var result = byId("drill-result");
var BANNER_MS = 8000;

// A short name for this device in the drill's result: "Chrome · Android".
function deviceName() {
  var ua = navigator.userAgent || "";
  var browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome"
    : /Safari\//.test(ua) ? "Safari" : "";
  var system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows"
    : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return [browser, system].filter(Boolean).join(" \u00b7 ");
}

function showDrillBanner() {
  var banner = byId("drill-banner");
  if (!banner) {
    banner = el("p", "drill-banner", T("drill_banner"));
    banner.id = "drill-banner";
    banner.setAttribute("role", "status");
    var main = byId("board-main");
    main.insertBefore(banner, main.firstChild);
  }
  banner.hidden = false;
  setTimeout(function () { banner.hidden = true; }, BANNER_MS);
  return !!banner.offsetParent && !document.hidden; // on screen: laid out, and the tab in front
}

export function onDrill(_payload, ack) {
  var shown = false;
  try { shown = showDrillBanner(); } catch (e) { shown = false; }
  Promise.all([
    testSound().catch(function () { return "unsupported"; }),
    testNotification(T("drill_notify_title"),
      T("drill_notify_body")).catch(function () {
      return { notifications: "unsupported", notification_shown: false };
    })
  ]).then(function (done) {
    if (typeof ack === "function") {
      ack({ shown: shown, sound: done[0], notifications: done[1].notifications,
        notification_shown: done[1].notification_shown, device: deviceName() });
    }
  });
}

function boardLine(board, index) {
  var name = T(board.device ? "drill_board_device" : "drill_board", { number: index + 1, device: board.device || "" });
  var what;
  if (board.ok && !board.problem) {
    what = T("drill_sound_played") +
      (board.notification_shown ? ", " + T("drill_notification_shown") : "");
  } else {
    what = has("drill_problem_" + board.problem) ? T("drill_problem_" + board.problem) : T("drill_problem_other");
  }
  return [name, what, board.ok && !board.problem ? "ok" : (board.ok ? "warn" : "failed")];
}

function channelLine(item) {
  var d = item.delivery;
  var what = d.ok ? T("drill_delivered_in", { ms: d.ms }) : T("drill_channel_failed", { error: d.error || "" });
  return [(item.channel.label || item.channel.kind) + " \u00b7 " + item.channel.url, what, d.ok ? "ok" : "failed"];
}

function listOf(title, lines, none) {
  var box = el("div", "drill-group");
  box.appendChild(el("h3", "drill-group-title", title));
  if (!lines.length) { box.appendChild(el("p", "muted small", none)); return box; }
  var ul = el("ul", "drill-lines");
  lines.forEach(function (line) {
    var li = el("li", "drill-line drill-" + line[2]);
    li.setAttribute("data-result", line[2]);
    li.appendChild(el("span", "drill-what-name", line[0]));
    li.appendChild(el("span", "drill-what", line[1]));
    ul.appendChild(li);
  });
  box.appendChild(ul);
  return box;
}

function summary(drill) {
  if (!drill.reached) return T("drill_summary_unreached");
  if (drill.problems) {
    return T("drill_summary_problems", { count: drill.problems });
  }
  return T("drill_summary_ok");
}

function render(drill) {
  result.textContent = "";
  result.setAttribute("data-reached", String(drill.reached));
  result.appendChild(el("p", "drill-summary", summary(drill)));
  result.appendChild(listOf(T("drill_boards"), drill.boards.map(boardLine),
    T("drill_no_boards")));
  result.appendChild(listOf(T("drill_channels"), drill.channels.map(channelLine),
    T("drill_no_channels")));
}

function runDrill() {
  button.disabled = true;
  result.removeAttribute("data-reached");
  setText(result, T("drill_running"));
  request("POST", "/api/v1/drills", {}, { timeoutMs: 60000 }).then(function (answer) {
    button.disabled = false;
    if (answer.ok && answer.data && answer.data.drill) {
      render(answer.data.drill);
      loadChannels(); // each channel's last delivery is the drill's
      return;
    }
    setText(result, T("drill_failed", { error: errorText(answer.error) }));
  });
}

export function wireDrill() {
  button.addEventListener("click", runDrill);
}
