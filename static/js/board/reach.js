/* "How should we reach you?": the host's own channels (e-mail, ntfy, any Apprise URL)
 * through /api/v1/channels: listed with their masked URL and last delivery, added
 * (an error next to the field it is about), tested (one real send) and removed.
 * loadChannels() is also called after a drill, which tests every channel.
 */
import { byId, el, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { T, errorText } from "./page.js";
import { timeOf, dateOf } from "./dates.js";

var list = byId("reach-list");
var empty = byId("reach-empty");
var listError = byId("reach-error");
var form = byId("reach-form");
var FIELDS = ["url", "label"];

function lastDelivery(delivery) {
  if (!delivery) return T("reach_never_tried");
  var when = dateOf(delivery.at) + " " + timeOf(delivery.at);
  if (delivery.ok) return T("reach_last_ok", { time: when });
  return T("reach_last_failed", { time: when, error: delivery.error || "" });
}

function showListError(message) {
  setText(listError, message || "");
  listError.hidden = !message;
}

function channelItem(channel) {
  var li = el("li", "reach-item");
  li.setAttribute("data-channel-id", String(channel.id));
  li.setAttribute("data-ok", channel.last_delivery ? String(channel.last_delivery.ok) : "untried");
  var head = el("div", "reach-item-head");
  head.appendChild(el("strong", "reach-kind", channel.label || channel.kind));
  head.appendChild(el("span", "reach-when muted small", channel.when === "always"
    ? T("reach_when_always") : T("reach_when_unconfirmed")));
  li.appendChild(head);
  li.appendChild(el("code", "reach-url", channel.url));
  li.appendChild(el("p", "reach-last small", lastDelivery(channel.last_delivery)));
  var actions = el("div", "reach-actions");
  actions.appendChild(actionButton(channel, "test", T("reach_test"), testChannel));
  actions.appendChild(actionButton(channel, "remove", T("reach_remove"), removeChannel));
  li.appendChild(actions);
  return li;
}

function actionButton(channel, action, text, run) {
  var button = el("button", "button button-small" + (action === "remove" ? " button-danger" : ""), text);
  button.type = "button";
  button.setAttribute("data-action", action);
  button.setAttribute("aria-label", text + " " + (channel.label || channel.url));
  button.addEventListener("click", function () {
    button.disabled = true;
    run(channel).then(function () { button.disabled = false; });
  });
  return button;
}

function render(channels) {
  list.textContent = "";
  channels.forEach(function (channel) { list.appendChild(channelItem(channel)); });
  empty.hidden = channels.length > 0;
}

export function loadChannels() {
  return request("GET", "/api/v1/channels").then(function (answer) {
    if (answer.ok && answer.data && Array.isArray(answer.data.channels)) { showListError(""); render(answer.data.channels); }
    else showListError(errorText(answer.error, "reach_failed"));
  });
}

function testChannel(channel) {
  return request("POST", "/api/v1/channels/" + encodeURIComponent(channel.id) + "/test", {}).then(function (answer) {
    if (!answer.ok) showListError(errorText(answer.error, "reach_failed"));
    return loadChannels();
  });
}

function removeChannel(channel) {
  return request("DELETE", "/api/v1/channels/" + encodeURIComponent(channel.id)).then(function (answer) {
    if (!answer.ok) showListError(errorText(answer.error, "reach_failed"));
    return loadChannels();
  });
}

function setFieldError(field, message) {
  FIELDS.forEach(function (name) {
    var input = byId("reach-" + name);
    var note = byId("reach-" + name + "-error");
    var mine = name === field && message;
    note.hidden = !mine;
    setText(note, mine ? message : "");
    if (mine) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", note.id); }
    else { input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby"); }
  });
  if (field && message) byId("reach-" + (FIELDS.indexOf(field) >= 0 ? field : "url")).focus();
}

function onSubmit(ev) {
  ev.preventDefault();
  var body = { url: byId("reach-url").value.trim(), when: byId("reach-when").value };
  var label = byId("reach-label").value.trim();
  if (label) body.label = label;
  var submit = byId("reach-submit");
  submit.disabled = true;
  request("POST", "/api/v1/channels", body).then(function (answer) {
    submit.disabled = false;
    if (answer.ok) {
      setFieldError(null, "");
      form.reset();
      loadChannels();
      return;
    }
    var err = answer.error || {};
    setFieldError(FIELDS.indexOf(err.field) >= 0 ? err.field : "url",
      err.code === "conflict" ? T("reach_error_limit") : errorText(err, "reach_failed", "reach_error_"));
  });
}

export function wireReach() {
  form.addEventListener("submit", onSubmit);
}
