/* A visit's card: built once per visit id and updated in place, so a half-typed
 * note or an open select survives every update. The card shows who is here, for
 * whom, since when, and what the host can do; data-* attributes carry its state
 * (data-status, data-mine, data-help, data-escalated, data-alert, data-step-in).
 */
import { visitKey as key } from "../common/visit_status.js";
import { el, setText } from "../common/dom.js";
import { parseTime as ms } from "../common/time.js";
import { serverNow as now } from "../common/server_clock.js";
import { T, ME, escalateMs } from "./page.js";
import { clockOf, durationOf } from "./dates.js";
import { STATUS_LABEL, ESCALATION_LABEL } from "./labels.js";
import { state, isMine, isStepIn, isHelp, nameOf } from "./state.js";
import { renderContext } from "./context.js";
import { renderActions, act } from "./card_actions.js";
import { buildOwnHost, renderOwnHost, saveOwnHost } from "./own_host.js";

export var cards = new Map(); // id -> card record

export function buildCard(v) {
  var id = key(v.id);
  var card = {
    id: id,
    root: el("article", "card"),
    kicker: el("p", "card-kicker"),
    title: el("h3", "card-title"),
    prefix: el("span", "card-prefix"),
    name: el("span", "card-name"),
    suffix: el("span", "card-suffix"),
    badge: el("span", "badge"),
    timer: el("span", "timer"),
    timerLabel: el("span", "timer-label"),
    timerValue: el("span", "timer-value"),
    timerAfter: el("span", "timer-label timer-after"),
    meta: el("p", "card-meta"),
    tags: el("p", "card-tags"),
    context: el("dl", "card-context"),
    history: el("div", "card-history"),
    actions: el("div", "card-actions"),
    ownHost: el("div", "own-host"),
    error: el("p", "card-error"),
    actionsFor: null,
    note: null,
    busy: false,
    errorTimer: null
  };
  card.root.setAttribute("data-visit-id", id);
  card.error.setAttribute("role", "alert");
  card.error.hidden = true;
  card.timer.setAttribute("role", "timer");
  card.timer.appendChild(card.timerLabel);
  card.timer.appendChild(card.timerValue);
  card.timer.appendChild(card.timerAfter);
  card.title.appendChild(card.prefix);
  card.title.appendChild(card.name);
  card.title.appendChild(card.suffix);
  var head = el("div", "card-head");
  var headText = el("div", "card-head-text");
  headText.appendChild(card.kicker);
  headText.appendChild(card.title);
  var headSide = el("div", "card-head-side");
  headSide.appendChild(card.badge);
  headSide.appendChild(card.timer);
  head.appendChild(headText);
  head.appendChild(headSide);
  card.root.appendChild(head);
  card.root.appendChild(card.meta);
  card.root.appendChild(card.tags);
  card.root.appendChild(card.context);
  card.root.appendChild(card.history);
  card.root.appendChild(card.actions);
  card.root.appendChild(card.ownHost);
  card.root.appendChild(card.error);
  buildOwnHost(card);
  card.root.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button[data-action]") : null;
    if (!b || !card.root.contains(b)) return;
    var action = b.getAttribute("data-action");
    if (action === "own-host") saveOwnHost(card);
    else act(card, action);
  });
  cards.set(id, card);
  return card;
}

// "mine" (my guest waits), "team" (overdue or step-in), or null.
export function alertKindOf(v) {
  var waiting = v.status === "waiting";
  var overdue = waiting && (isStepIn(v) || now() - (ms(v.arrived_at) || now()) >= escalateMs);
  return isMine(v) && waiting ? "mine" : (overdue ? "team" : null);
}

export function renderCard(card, v) {
  var mine = isMine(v);
  var waiting = v.status === "waiting";
  var stepIn = isStepIn(v);
  var alertKind = alertKindOf(v);
  card.root.setAttribute("data-status", v.status);
  card.root.setAttribute("data-mine", mine ? "true" : "false");
  card.root.setAttribute("data-help", isHelp(v) ? "true" : "false");
  card.root.setAttribute("data-escalated", v.escalated_at || state.escalated.has(card.id) ? "true" : "false");
  if (alertKind) card.root.setAttribute("data-alert", alertKind);
  else card.root.removeAttribute("data-alert");
  if (stepIn) card.root.setAttribute("data-step-in", "true");
  else card.root.removeAttribute("data-step-in");

  var kicker = "";
  if (isHelp(v) && waiting) kicker = T("help_kicker");
  else if (mine && waiting) kicker = T("kicker_new_guest");
  else if (stepIn) kicker = T("kicker_step_in");
  else if (alertKind === "team") kicker = T("kicker_still_waiting");
  setText(card.kicker, kicker);
  card.kicker.hidden = !kicker;
  renderSuffix(card, v);
  setText(card.badge, STATUS_LABEL[v.status] || v.status);
  card.badge.setAttribute("data-status", v.status);

  var parts = [];
  parts.push(v.host && v.host.name ? T("meta_host", { name: mine ? T("you_suffix", { name: v.host.name }) : v.host.name })
    : T("meta_no_host"));
  var by = v.acknowledged_by;
  if (by && by.name && (!v.host || key(by.id) !== key(v.host.id))) {
    var byName = key(by.id) === ME.id ? T("you_suffix", { name: by.name }) : by.name;
    parts.push(T(v.status === "greeted" ? "meta_greeted_by" : "meta_seen_by", { name: byName }));
  }
  if (stepIn) {
    var info = state.escalated.get(card.id) || {};
    var why = ESCALATION_LABEL[info.reason || v.escalation_reason];
    if (why) parts.push(why);
  }
  setText(card.meta, parts.join(" \u00b7 "));
  renderContext(card, v);
  renderActions(card, v);
  renderOwnHost(card, v);
  renderTimer(card, v);
}

// A sentence cut around its {placeholder}: [the text before, the text after].
function around(text, placeholder) {
  var at = text.indexOf(placeholder);
  return at < 0 ? [text + " ", ""] : [text.slice(0, at), text.slice(at + placeholder.length)];
}

// The card's title: the guest's name in its own span, in the sentence the card needs.
export function renderSuffix(card, v) {
  var sentence = "{name}"; // a call for help without a name: "Needs help at the kiosk" says it all
  var helpOnly = isHelp(v) && !(v.customer && v.customer.name);
  if (!helpOnly && isMine(v) && v.status === "waiting") sentence = T("title_here_for_you");
  else if (!helpOnly && isStepIn(v)) sentence = T("title_waiting_for", { time: durationOf(now() - (ms(v.arrived_at) || now())) });
  var parts = around(sentence, "{name}");
  setText(card.prefix, parts[0]);
  setText(card.name, nameOf(v));
  setText(card.suffix, parts[1]);
}

export function renderTimer(card, v) {
  var arrived = ms(v.arrived_at);
  if (arrived === null) { card.timer.hidden = true; return; }
  card.timer.hidden = false;
  var greeted = v.status === "greeted" && ms(v.greeted_at) !== null;
  var parts = around(T(greeted ? "timer_greeted_after" : "timer_waiting"), "{time}");
  setText(card.timerLabel, parts[0]);
  setText(card.timerValue, clockOf((greeted ? ms(v.greeted_at) : now()) - arrived));
  setText(card.timerAfter, parts[1]);
  var overdue = v.status === "waiting" && now() - arrived >= escalateMs;
  card.timer.classList.toggle("overdue", overdue);
}
