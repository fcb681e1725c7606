/* The kiosk's feedback face (unhappy / okay / happy), small, as inline SVG built
 * node by node (no emoji font needed, no markup parsed).
 */

var FACE_MOUTH = { 1: "M20 47 q12 -11 24 0", 2: "M21 43 h22", 3: "M19 38 q13 14 26 0" };

export function faceIcon(rating) {
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 64 64");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "mini-face");
  var parts = [["circle", { cx: 32, cy: 32, r: 28, fill: "none", stroke: "currentColor", "stroke-width": 5 }],
    ["circle", { cx: 22, cy: 25, r: 4.5, fill: "currentColor" }],
    ["circle", { cx: 42, cy: 25, r: 4.5, fill: "currentColor" }],
    ["path", { d: FACE_MOUTH[rating] || FACE_MOUTH[2], fill: "none", stroke: "currentColor", "stroke-width": 5, "stroke-linecap": "round" }]];
  parts.forEach(function (p) {
    var node = document.createElementNS(NS, p[0]);
    Object.keys(p[1]).forEach(function (a) { node.setAttribute(a, String(p[1][a])); });
    svg.appendChild(node);
  });
  return svg;
}
