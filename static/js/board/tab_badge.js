/* The browser tab counts the waiting guests: "(2 waiting) <title>" and a badge on
 * the favicon, drawn on a canvas as a data: URL. #board's data-waiting has the count.
 */
import { root, T } from "./page.js";
import { state } from "./state.js";

var BASE_TITLE = document.title;
var iconLink = document.querySelector('link[rel="icon"]');
var BASE_ICON = iconLink ? iconLink.getAttribute("href") : "";
var iconCount = -1;

export function updateTitle() {
  var waiting = 0;
  state.visits.forEach(function (v) { if (v.status === "waiting") waiting++; });
  var title = (waiting ? "(" + T("title_waiting", { n: waiting }) + ") " : "") + BASE_TITLE;
  if (document.title !== title) document.title = title;
  root.setAttribute("data-waiting", String(waiting));
  updateFavicon(waiting);
}

function updateFavicon(count) {
  if (!iconLink || count === iconCount) return;
  iconCount = count;
  if (!count) { iconLink.setAttribute("href", BASE_ICON); iconLink.setAttribute("type", "image/svg+xml"); return; }
  try {
    var size = 64;
    var canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    var g = canvas.getContext("2d");
    g.fillStyle = "#1f6f5c";
    g.beginPath();
    if (typeof g.roundRect === "function") g.roundRect(2, 2, size - 4, size - 4, 14);
    else g.rect(2, 2, size - 4, size - 4);
    g.fill();
    g.fillStyle = "#b4530b";
    g.beginPath();
    g.arc(size - 16, 16, 15, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = "#ffffff";
    g.textAlign = "center";
    g.textBaseline = "middle";
    var label = count > 99 ? "99+" : String(count);
    g.font = "bold " + (label.length > 1 ? 30 : 40) + "px sans-serif";
    g.fillText(label, size / 2 - 4, size / 2 + 6);
    iconLink.setAttribute("type", "image/png");
    iconLink.setAttribute("href", canvas.toDataURL("image/png"));
  } catch (e) { /* the title still counts */ }
}
