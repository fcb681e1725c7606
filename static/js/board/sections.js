/* The board's three lists of cards: "Can you step in?" (colleagues' guests the
 * server escalated to this board), "Mine" and "Team". Whenever state.js says the
 * picture or the team changed, render() puts every open visit's card in its list,
 * in order, moving cards rather than rebuilding them, and updates the counts, the
 * empty notes and the tab badge. refreshTimes() is the once-a-second part: timers,
 * and whatever changes with time alone.
 */
import { visitKey as key } from "../common/visit_status.js";
import { byId, setText } from "../common/dom.js";
import { on } from "../common/events.js";
import { state, isMine, isStepIn, sortVisits, PICTURE_CHANGED, TEAM_CHANGED } from "./state.js";
import { cards, buildCard, renderCard, renderSuffix, renderTimer, alertKindOf } from "./cards.js";
import { updateTitle } from "./tab_badge.js";

var mineList = byId("mine-list");
var teamList = byId("team-list");
var stepInList = byId("stepin-list");

function place(container, list) {
  list.forEach(function (v, i) {
    var card = cards.get(key(v.id)) || buildCard(v);
    renderCard(card, v);
    var at = container.children[i];
    if (at !== card.root) container.insertBefore(card.root, at || null);
  });
  while (container.children.length > list.length) {
    var extra = container.children[container.children.length - 1];
    container.removeChild(extra);
  }
}

function sectionOf(v) { return isMine(v) ? mineList : (isStepIn(v) ? stepInList : teamList); }

function render() {
  var all = sortVisits(Array.from(state.visits.values()));
  var mine = all.filter(isMine);
  var stepIn = all.filter(function (v) { return !isMine(v) && isStepIn(v); });
  var others = all.filter(function (v) { return !isMine(v) && !isStepIn(v); });
  // Drop cards of visits that are gone first, so they are not moved around.
  cards.forEach(function (card, id) {
    if (!state.visits.has(id)) {
      if (card.errorTimer) clearTimeout(card.errorTimer);
      if (card.root.parentNode) card.root.parentNode.removeChild(card.root);
      cards.delete(id);
    }
  });
  // A card that changes section must leave the old one before it is placed.
  all.forEach(function (v) {
    var c = cards.get(key(v.id));
    var target = sectionOf(v);
    if (c && c.root.parentNode && c.root.parentNode !== target) c.root.parentNode.removeChild(c.root);
  });
  place(stepInList, stepIn);
  place(mineList, mine);
  place(teamList, others);
  byId("stepin-section").hidden = stepIn.length === 0;
  byId("mine-empty").hidden = mine.length > 0;
  byId("team-empty").hidden = others.length > 0;
  setText(byId("stepin-count"), stepIn.length ? String(stepIn.length) : "");
  setText(byId("mine-count"), mine.length ? String(mine.length) : "");
  setText(byId("team-count"), others.length ? String(others.length) : "");
  updateTitle();
}

on(PICTURE_CHANGED, render);
on(TEAM_CHANGED, render);

export function refreshTimes() {
  var moved = false;
  cards.forEach(function (card, id) {
    var v = state.visits.get(id);
    if (!v) return;
    renderTimer(card, v);
    renderSuffix(card, v);
    if (card.root.parentNode && card.root.parentNode !== sectionOf(v)) moved = true;
    // Overdue state changes with time alone.
    if ((card.root.getAttribute("data-alert") || null) !== alertKindOf(v)) renderCard(card, v);
  });
  if (moved) render();
}
