/* The kiosk's language on the page: applyLanguage() sets <html lang/dir>, every
 * [data-i18n] element (and [data-i18n-aria]'s aria-label), the language buttons and the title from the texts
 * (strings.js), then emits LANGUAGE_CHANGED so the parts holding translated text
 * redraw themselves. A language button switches state.lang.
 */
import { emit } from "../common/events.js";
import { CONFIG } from "./config.js";
import { state, LANGUAGE_CHANGED } from "./state.js";
import { t, lookup, hasStrings, directionOf } from "./strings.js";
import { touch } from "./idle.js";

var langButtons = Array.prototype.slice.call(document.querySelectorAll(".lang-button"));
var TITLE_REST = (function () { // " · <kiosk name>"
  var at = document.title.indexOf(" \u00b7 ");
  return at >= 0 ? document.title.slice(at) : "";
})();

export function applyLanguage() {
  var html = document.documentElement;
  if (hasStrings(state.lang)) {
    html.lang = state.lang;
    html.dir = directionOf(state.lang);
  }
  var nodes = document.querySelectorAll("[data-i18n]");
  for (var i = 0; i < nodes.length; i++) {
    var text = t(nodes[i].getAttribute("data-i18n"));
    if (text && nodes[i].textContent !== text) nodes[i].textContent = text;
  }
  var labelled = document.querySelectorAll("[data-i18n-aria]"); // aria-label from the texts too
  for (var j = 0; j < labelled.length; j++) {
    var label = t(labelled[j].getAttribute("data-i18n-aria"));
    if (label) labelled[j].setAttribute("aria-label", label);
  }
  langButtons.forEach(function (b) {
    var lang = b.getAttribute("data-lang");
    var name = lookup(lang, "lang_name");
    if (name && b.textContent !== name) b.textContent = name;
    b.setAttribute("aria-pressed", lang === state.lang ? "true" : "false");
  });
  var title = t("page_title");
  if (title) document.title = title + TITLE_REST;
  emit(LANGUAGE_CHANGED);
}

function setLanguage(lang) {
  if (CONFIG.languages.indexOf(lang) < 0) return;
  state.lang = lang;
  applyLanguage();
  touch();
}

export function wireLanguageButtons() {
  langButtons.forEach(function (b) {
    b.addEventListener("click", function () { setLanguage(b.getAttribute("data-lang")); });
  });
}
