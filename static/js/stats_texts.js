/* The stats pages' words and numbers in the reader's language.
 *
 * The page carries the texts of its own language from the catalogues
 * (#stats-texts: the "stats.js.*" keys, English filling gaps), as the board does with
 * #board-texts. t(key, values) fills "{name}" placeholders; numbers, weekdays and
 * months come from Intl in the page's language (<html lang>).
 */
import { readJsonScript } from "./common/dom.js";

var TEXTS = readJsonScript("stats-texts") || {};
export var LANG = document.documentElement.lang || "en";

export function t(key, values) {
  var text = TEXTS["stats.js." + key];
  if (typeof text !== "string") return key;
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

var numbers = new Intl.NumberFormat(LANG, { maximumFractionDigits: 1 });

export function number(value) {
  return numbers.format(Number(value));
}

export function percent(value) {
  return value === null || value === undefined ? "–" : t("percent", { value: number(value) });
}

// Seconds as "45 s" or "2 min 10 s" in the reader's words; "–" for no figure.
export function secs(value) {
  if (value === null || value === undefined || isNaN(value)) return "–";
  var s = Math.round(Number(value));
  if (s < 60) return t("unit_s", { s: number(s) });
  var rest = s % 60;
  var m = number(Math.floor(s / 60));
  return rest ? t("unit_min_s", { m: m, s: number(rest) }) : t("unit_min", { m: m });
}
