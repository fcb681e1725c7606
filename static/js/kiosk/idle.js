/* The idle clock: any tap, key or input (and any visible change of the screen)
 * calls touch(), which restarts it; when it runs out (config idle_seconds) IDLE
 * goes out on the bus, and start_over.js decides whether to start over.
 */
import { emit } from "../common/events.js";
import { CONFIG } from "./config.js";
import { IDLE } from "./state.js";

var idleTimer = null;

export function touch() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(onIdle, CONFIG.idle_seconds * 1000);
}

function onIdle() {
  idleTimer = null;
  emit(IDLE);
}
