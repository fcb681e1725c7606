/* The kiosk's texts. No UI text lives in the code: every string comes from the
 * translation catalogues (translations/<lang>/LC_MESSAGES/messages.po), fetched as
 * /i18n/<lang>.json by loadStrings(); the page carries the texts of its own
 * language (#kiosk-texts) for the moment before that.
 *
 * t(key) looks up "kiosk.<key>" in the current language, then the default, then
 * English; the site's own welcome text replaces the catalogue's. language.js puts
 * them on the page.
 */
import { readJsonScript } from "../common/dom.js";
import { CONFIG } from "./config.js";
import { state } from "./state.js";

var PREFIX = "kiosk.";
var strings = {}; // lang -> {key: text}
var directions = {}; // lang -> "ltr" | "rtl"

(function pageTexts() {
  var page = readJsonScript("kiosk-texts");
  if (page && page.language && page.texts && typeof page.texts === "object") {
    strings[page.language] = page.texts;
    directions[page.language] = document.documentElement.dir || "ltr";
  }
})();

// The text of `key` in `lang` only, or "".
export function lookup(lang, key) {
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

// Whether this language's texts are here (from the page or the catalogue).
export function hasStrings(lang) { return !!strings[lang]; }

export function directionOf(lang) { return directions[lang] || "ltr"; }

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
