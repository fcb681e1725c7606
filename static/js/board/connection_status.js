/* Telling the host how the board is connected: the status dot and text in the
 * header (#conn: data-state idle / connecting / live / reconnecting / offline),
 * and a banner for what needs the host (signed out, a status that did not change).
 */
import { byId, el, setText } from "../common/dom.js";
import { T } from "./page.js";

var conn = byId("conn");
var connText = byId("conn-text");
var banner = byId("board-banner");

export function setConn(stateName, text) {
  conn.setAttribute("data-state", stateName);
  setText(connText, text);
}

export function showBanner(text, withLogin) {
  banner.textContent = text;
  if (withLogin) {
    banner.appendChild(document.createTextNode(" "));
    var a = el("a", null, T("sign_in_again"));
    a.href = "/board/login";
    banner.appendChild(a);
  }
  banner.hidden = false;
}

export function hideBanner() { banner.hidden = true; banner.textContent = ""; }
