/* The kiosk's languages. No UI text lives in the code: every string comes from the
 * translation catalogues (translations/<lang>/LC_MESSAGES/messages.po), fetched as
 * /i18n/<lang>.json; the page carries the texts of its own language (#kiosk-texts)
 * for the moment before that.
 *
 * t(key) looks up "kiosk.<key>" in the current language, then the default, then
 * English. applyLanguage() sets <html lang/dir>, every [data-i18n] element, the
 * language buttons and the title, and re-renders what holds translated text.
 */
import { readJsonScript } from "../common/dom.js";
import { CONFIG } from "./config.js";
import { state } from "./state.js";
import { renderStatus } from "./screens.js";
import { renderErrors } from "./form_errors.js";
import { renderPrivacy } from "./privacy.js";
import { touch } from "./idle.js";

var PREFIX = "kiosk.";
var strings = {}; // lang -> {key: text}
var directions = {}; // lang -> "ltr" | "rtl"
var langButtons = Array.prototype.slice.call(document.querySelectorAll(".lang-button"));
var TITLE_REST = (function () { // " · <kiosk name>"
  var at = document.title.indexOf(" \u00b7 ");
  return at >= 0 ? document.title.slice(at) : "";
})();

(function pageTexts() {
  var page = readJsonScript("kiosk-texts");
  if (page && page.language && page.texts && typeof page.texts === "object") {
    strings[page.language] = page.texts;
    directions[page.language] = document.documentElement.dir || "ltr";
  }
})();

function lookup(lang, key) {
  if (key === "welcome_text" && CONFIG.welcome_texts[lang]) return CONFIG.welcome_texts[lang];
  var table = strings[lang];
  return table && Object.prototype.hasOwnProperty.call(table, PREFIX + key) ? table[PREFIX + key] : "";
}

export function t(key) {
  return lookup(state.lang, key) || lookup(CONFIG.default_language, key) || lookup("en", key) || "";
}

export function fill(template, name) {
  // A function as replacement, so "$&" or "$1" in a name stay literal.
  return template.replace("{name}", function () { return name; });
}

export function loadStrings() {
  var loads = CONFIG.languages.map(function (lang) {
    return fetch("/i18n/" + encodeURIComponent(lang) + ".json", { credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (data && data.texts && typeof data.texts === "object") {
          strings[lang] = data.texts;
          directions[lang] = data.direction === "rtl" ? "rtl" : "ltr";
        }
      })
      .catch(function () { /* keep what the page brought */ });
  });
  return Promise.all(loads);
}

export function applyLanguage() {
  var html = document.documentElement;
  if (strings[state.lang]) {
    html.lang = state.lang;
    html.dir = directions[state.lang] || "ltr";
  }
  var nodes = document.querySelectorAll("[data-i18n]");
  for (var i = 0; i < nodes.length; i++) {
    var text = t(nodes[i].getAttribute("data-i18n"));
    if (text && nodes[i].textContent !== text) nodes[i].textContent = text;
  }
  langButtons.forEach(function (b) {
    var lang = b.getAttribute("data-lang");
    var label = lookup(lang, "lang_name");
    if (label && b.textContent !== label) b.textContent = label;
    b.setAttribute("aria-pressed", lang === state.lang ? "true" : "false");
  });
  var title = t("page_title");
  if (title) document.title = title + TITLE_REST;
  renderStatus();
  renderErrors();
  renderPrivacy();
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
