/* The kiosk's settings, read once from the page (#kiosk-config, #kiosk-languages):
 * the languages offered and the default one, how long an idle screen waits before
 * it starts over, and the privacy notice (its text per language and its version,
 * which every check-in carries).
 */
import { readJsonScript } from "../common/dom.js";

function readConfig() {
  var cfg = readJsonScript("kiosk-config") || {};
  var languages = readJsonScript("kiosk-languages");
  if (!Array.isArray(languages) || !languages.length) languages = Array.isArray(cfg.languages) ? cfg.languages : [];
  if (!languages.length) languages = [document.documentElement.lang || "de"];
  var def = languages.indexOf(cfg.default_language) >= 0 ? cfg.default_language : languages[0];
  var idle = Number(cfg.idle_seconds);
  if (!isFinite(idle) || idle < 5) idle = 60;
  var notice = cfg.privacy_notice && typeof cfg.privacy_notice === "object" ? cfg.privacy_notice : {};
  var texts = {};
  languages.forEach(function (lang) {
    if (typeof notice[lang] === "string" && notice[lang]) texts[lang] = notice[lang];
  });
  var welcome = cfg.welcome_text && typeof cfg.welcome_text === "object" ? cfg.welcome_text : {};
  var welcomeTexts = {}; // the site's own welcome text, replacing the catalogue's
  languages.forEach(function (lang) {
    if (typeof welcome[lang] === "string" && welcome[lang]) welcomeTexts[lang] = welcome[lang];
  });
  return {
    welcome_texts: welcomeTexts,
    idle_seconds: idle,
    default_language: def,
    languages: languages,
    privacy_version: typeof notice.version === "string" && notice.version ? notice.version : null,
    privacy_texts: texts
  };
}

export var CONFIG = readConfig();
