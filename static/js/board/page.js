/* What the server put into the staff board page, read once at load.
 *
 *  - #board-config: escalation delay and the site's time zone.
 *  - #board-texts: texts of the page's language from the catalogues; T() falls
 *    back to the English text written at the call.
 *  - #board's data attributes: who this host is.
 *  - page.started: whether the host tapped "Start" (sound and notifications follow it).
 */
import { byId, readJsonScript } from "../common/dom.js";

var TEXTS = readJsonScript("board-texts") || {};

export function T(k, fallback) {
  return typeof TEXTS[k] === "string" && TEXTS[k] ? TEXTS[k] : fallback;
}

var CONFIG = readJsonScript("board-config") || {};
export var escalateMs = (Number(CONFIG.escalate_after_seconds) > 0 ? Number(CONFIG.escalate_after_seconds) : 30) * 1000;
export var ZONE = typeof CONFIG.timezone === "string" && CONFIG.timezone ? CONFIG.timezone : undefined;

export var root = byId("board");
export var ME = { id: String(root.getAttribute("data-host-id")), name: root.getAttribute("data-host-name") || "" };

export var page = { started: false };
