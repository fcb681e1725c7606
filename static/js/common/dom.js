/* DOM helpers every page uses.
 *
 * Elements are built with textContent only, never from markup, so nothing a guest
 * or a colleague typed can become HTML. setText writes only when the text changed
 * (a screen reader does not hear the same words twice). readJsonScript reads the
 * JSON the server renders into <script type="application/json"> blocks.
 */

export function byId(id) {
  return document.getElementById(id);
}

export function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// The parsed content of <script type="application/json" id=...>, or null if missing or broken.
export function readJsonScript(id) {
  var node = byId(id);
  if (!node) return null;
  try { return JSON.parse(node.textContent); } catch (e) { return null; }
}
