/* Tables that stack their rows on a phone (app.css: .admin-table and .stats-table below
 * 40rem) show each cell under its column's name. The names come from the table's own
 * header cells, so they are in the page's language without a second copy of each text:
 * every cell gets data-label, which the stylesheet prints above the value.
 */

function columnNames(table) {
  var row = table.tHead && table.tHead.rows[0];
  if (!row) return [];
  return Array.prototype.map.call(row.cells, function (cell) {
    var hidden = cell.querySelector(".sr-only"); // a column named for screen readers only (e.g. actions)
    var text = cell.textContent.trim();
    return hidden && hidden.textContent.trim() === text ? "" : text;
  });
}

export function labelCells(table) {
  var names = columnNames(table);
  Array.prototype.forEach.call(table.tBodies, function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, column) {
        if (row.cells.length === names.length && names[column]) cell.setAttribute("data-label", names[column]);
      });
    });
  });
}

Array.prototype.forEach.call(document.querySelectorAll("table.admin-table, table.stats-table"), labelCells);
