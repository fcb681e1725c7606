/* What helps the host prepare, on a card: short tags (why this host, whose guest,
 * escalated, returning or first visit), rows of context (topic, appointment,
 * language, party size) and the guest's last visits with notes and feedback.
 * The context comes from the visit and from visit.arrived's "context".
 */
import { visitKey as key } from "../common/visit_status.js";
import { el } from "../common/dom.js";
import { ME, T } from "./page.js";
import { ASSIGN_LABEL, ESCALATION_LABEL, FEEDBACK_LABEL, STATUS_LABEL, humanize, languageName } from "./labels.js";
import { timeOf, dateOf } from "./dates.js";
import { state } from "./state.js";
import { faceIcon } from "./face_icon.js";

// Short chips: why this host, whose guest, escalated, returning.
function tagItems(v, ctx) {
  var tags = [];
  var reason = v.assignment_reason || (ctx && ctx.assignment_reason);
  if (reason) tags.push(["assigned", T("tag_assigned", { why: ASSIGN_LABEL[reason] || humanize(reason).toLowerCase() }), reason]);
  var own = v.customer && v.customer.host;
  if (own && own.name && (!v.host || key(own.id) !== key(v.host.id))) {
    tags.push(["own-host", key(own.id) === ME.id ? T("tag_your_guest") : T("tag_their_guest", { name: own.name }), ""]);
  }
  if (v.escalated_at) {
    var why = ESCALATION_LABEL[v.escalation_reason] || "";
    tags.push(["escalated", why ? T("tag_escalated_because", { why: why }) : T("tag_escalated"), v.escalation_reason || ""]);
  }
  if (v.customer_away_until && Date.parse(v.customer_away_until) > Date.now()) {  // stepped out (their status page)
    tags.push(["away", T("customer_away", { time: timeOf(v.customer_away_until) }), ""]);
  }
  if (ctx) {
    if (ctx.returning) tags.push(["returning", T("tag_returning"), ""]);
    else tags.push(["first", T("tag_first_visit"), ""]);
    if (ctx.contact_matches_other) tags.push(["contact-check", T("tag_contact_check"), ""]);
  }
  return tags;
}

// Rows of what helps the host prepare: from the visit, and from the alert's context.
function contextItems(v, ctx) {
  ctx = ctx || {};
  var items = [];
  var topic = ctx.topic || v.topic;
  if (topic) items.push(["topic", T("ctx_topic"), String(topic)]);
  var appt = ctx.appointment || v.appointment;
  if (appt) {
    var when = timeOf(appt.starts_at);
    var text = (when ? when : "") + (appt.reason ? (when ? " \u00b7 " : "") + appt.reason : "");
    items.push(["appointment", T("ctx_appointment"), text || T("ctx_appointment_yes")]);
    if (appt.notes) items.push(["notes", T("ctx_prepare"), String(appt.notes)]);
  }
  var lang = ctx.language || v.language;
  if (lang) items.push(["language", T("ctx_language"), languageName(lang)]);
  var party = Number(ctx.party_size || v.party_size);
  if (party > 1) items.push(["party", T("ctx_party"), T("ctx_party_people", { n: party })]);
  return items;
}

function historyItems(ctx) {
  var list = ctx && Array.isArray(ctx.previous_visits) ? ctx.previous_visits : [];
  return list.slice(0, 3).map(function (p) {
    var parts = [];
    var d = dateOf(p.arrived_at);
    if (d) parts.push(d);
    if (p.host && p.host.name) parts.push(p.host.name);
    parts.push(p.status === "abandoned" ? T("history_left") : (p.status === "completed" ? T("history_completed")
      : STATUS_LABEL[p.status] || String(p.status || "")));
    return {
      text: parts.join(" \u00b7 "),
      note: p.note ? String(p.note) : "",
      feedback: FEEDBACK_LABEL[p.feedback] || "",
      rating: p.feedback ? String(p.feedback) : ""
    };
  });
}

export function renderContext(card, v) {
  var ctx = state.contexts.get(card.id);
  var tags = tagItems(v, ctx);
  var items = contextItems(v, ctx);
  var history = historyItems(ctx);
  var sig = JSON.stringify([tags, items, history]);
  if (card.contextSig === sig) return;
  card.contextSig = sig;

  card.tags.textContent = "";
  card.tags.hidden = !tags.length;
  tags.forEach(function (t) {
    var chip = el("span", "tag tag-" + t[0], t[1]);
    chip.setAttribute("data-tag", t[0]);
    if (t[2]) chip.setAttribute("data-reason", t[2]);
    card.tags.appendChild(chip);
  });

  card.context.textContent = "";
  card.context.hidden = !items.length;
  items.forEach(function (it) {
    var row = el("div", "ctx-row ctx-" + it[0]);
    row.setAttribute("data-context", it[0]);
    row.appendChild(el("dt", null, it[1]));
    row.appendChild(el("dd", null, it[2]));
    card.context.appendChild(row);
  });

  card.history.textContent = "";
  card.history.hidden = !history.length;
  if (history.length) {
    card.history.appendChild(el("h4", "history-title", T("history_title")));
    var ul = el("ul", "history-list");
    history.forEach(function (h) {
      var li = el("li", "history-item");
      li.appendChild(el("span", "history-when", h.text));
      if (h.note) li.appendChild(el("span", "history-note", T("history_note", { note: h.note })));
      if (h.feedback) {
        var face = el("span", "history-feedback");
        face.setAttribute("data-rating", h.rating);
        face.appendChild(faceIcon(h.rating));
        face.appendChild(el("span", null, h.feedback));
        li.appendChild(face);
      }
      ul.appendChild(li);
    });
    card.history.appendChild(ul);
  }
}
