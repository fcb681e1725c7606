/* The "own host" control on a card: a customer's dedicated host, chosen from the
 * team and saved over HTTP. A choice the host is still making (or has not saved)
 * is not overwritten by updates; after saving, every open visit of that customer
 * shows the new own host.
 */
import { visitKey as key } from "../common/visit_status.js";
import { el, setText } from "../common/dom.js";
import { request } from "../common/http.js";
import { ME, T, errorText } from "./page.js";
import { state, setCustomerHost, changed } from "./state.js";
import { showCardError } from "./card_actions.js";

export function buildOwnHost(card) {
  var selectId = "own-host-" + card.id.replace(/[^A-Za-z0-9_-]/g, "_");
  var label = el("label", "own-host-label", T("own_host_label"));
  label.setAttribute("for", selectId);
  var select = el("select", "own-host-select");
  select.id = selectId;
  select.setAttribute("data-role", "own-host");
  var save = el("button", "button button-small own-host-save", T("own_host_save"));
  save.type = "button";
  save.setAttribute("data-action", "own-host");
  var status = el("span", "own-host-status");
  status.setAttribute("role", "status");
  card.ownHost.appendChild(label);
  card.ownHost.appendChild(select);
  card.ownHost.appendChild(save);
  card.ownHost.appendChild(status);
  card.ownSelect = select;
  card.ownSave = save;
  card.ownStatus = status;
  card.ownDirty = false;
  select.addEventListener("change", function () {
    card.ownDirty = true;
    updateOwnSave(card);
  });
}

function updateOwnSave(card) {
  var v = state.visits.get(card.id);
  var current = v && v.customer && v.customer.host ? key(v.customer.host.id) : "";
  card.ownSave.disabled = card.ownBusy || !card.ownSelect.value || card.ownSelect.value === current;
}

export function renderOwnHost(card, v) {
  var customer = v.customer || {};
  if (customer.id === undefined || customer.id === null || !state.team.length) { card.ownHost.hidden = true; return; }
  card.ownHost.hidden = false;
  var current = customer.host ? key(customer.host.id) : "";
  var options = state.team.map(function (h) { return [key(h.id), key(h.id) === ME.id ? T("you_suffix", { name: h.name }) : h.name]; });
  if (current && !options.some(function (o) { return o[0] === current; })) options.push([current, customer.host.name]);
  var sig = JSON.stringify([options, current]);
  if (card.ownSig !== sig && document.activeElement !== card.ownSelect) {
    var chosen = card.ownDirty ? card.ownSelect.value : current;
    card.ownSig = sig;
    card.ownSelect.textContent = "";
    if (!current) {
      var none = el("option", null, T("own_host_none"));
      none.value = "";
      card.ownSelect.appendChild(none);
    }
    options.forEach(function (o) {
      var opt = el("option", null, o[1]);
      opt.value = o[0];
      card.ownSelect.appendChild(opt);
    });
    card.ownSelect.value = chosen;
    if (card.ownSelect.value !== chosen) { card.ownSelect.value = current; card.ownDirty = false; }
  }
  updateOwnSave(card);
}

export function saveOwnHost(card) {
  var v = state.visits.get(card.id);
  if (!v || !v.customer || card.ownBusy) return;
  var hostId = Number(card.ownSelect.value);
  if (!hostId) return;
  var customerId = v.customer.id;
  card.ownBusy = true;
  updateOwnSave(card);
  setText(card.ownStatus, T("own_host_saving"));
  request("POST", "/api/v1/customers/" + encodeURIComponent(customerId) + "/host", { host_id: hostId }).then(function (answer) {
    card.ownBusy = false;
    if (answer.ok && answer.data && answer.data.customer) {
      card.ownDirty = false;
      setCustomerHost(customerId, answer.data.customer.host); // every open visit of this customer
      setText(card.ownStatus, T("own_host_saved"));
      changed();
      return;
    }
    setText(card.ownStatus, "");
    updateOwnSave(card);
    var err = answer.error || {};
    showCardError(card, errorText(err, "own_host_failed"));
  });
}
