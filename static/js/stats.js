/* Gastgeber stats page — enhancements on top of the server-rendered figures.
 *
 *  - The per-host table becomes sortable: a button in each header, aria-sort on the
 *    sorted column, values from each cell's data-value (empty = no figure, last).
 *  - The filter form leaves out empty fields, so "All hosts" means no host_id at all.
 *  - The charts (Chart.js, served from the pinned npm install) are drawn from
 *    /api/v1/stats with the page's own query string: a trend per day with the
 *    targets, and a histogram of time to greet with the target marked.
 *  - Every word comes from the catalogues (stats_texts.js); dates and numbers from Intl,
 *    in the page's language. All text goes through textContent; no inline styles (strict CSP).
 *  - On a phone the tables stack their rows (common/stacked_tables.js names each cell).
 */
import { byId, readJsonScript } from "./common/dom.js";
import { request } from "./common/http.js";
import "./common/stacked_tables.js";
import { LANG, number, percent, secs, t } from "./stats_texts.js";

var CONFIG = readJsonScript("stats-config") || {};
var ACK_TARGET = Number(CONFIG.acknowledge_target_seconds) || 30;
var GREET_TARGET = Number(CONFIG.greet_target_seconds) || 120;

var COLORS = {
  ink: "#1d2320",
  soft: "#4d5752",
  grid: "#e6e2d8",
  visits: "#d9d3c3",
  visitsBorder: "#c2bba8",
  greet: "#1f6f5c",
  acknowledge: "#3f7fc4",
  greetTarget: "#b4530b",
  ackTarget: "#3f7fc4",
  within: "#7fb8a6",
  over: "#e0a46e"
};
// "Mon 3 Nov" in the reader's language; the dates are calendar days, so read in UTC.
var DAY_LABEL = new Intl.DateTimeFormat(LANG, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

// ---------------------------------------------------------------- formatting
function axisSecs(value) {
  var s = Math.round(Number(value));
  if (s < 60 || s % 60 === 0) return secs(s);
  return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
}

function dayLabel(iso) {
  // iso is a local calendar date (YYYY-MM-DD); read it without any time zone shift.
  var p = iso.split("-").map(Number);
  return DAY_LABEL.format(new Date(Date.UTC(p[0], p[1] - 1, p[2])));
}

function nextDay(iso) {
  var p = iso.split("-").map(Number);
  var d = new Date(Date.UTC(p[0], p[1] - 1, p[2] + 1));
  return d.toISOString().slice(0, 10);
}

function cleanQuery(search) {
  var params = new URLSearchParams(search);
  var out = new URLSearchParams();
  params.forEach(function (value, name) { if (value !== "") out.append(name, value); });
  return out.toString();
}

// ---------------------------------------------------------------- filters
var form = byId("filters");
if (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = cleanQuery(new URLSearchParams(new FormData(form)).toString());
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  });
}

// ---------------------------------------------------------------- sortable table
function sortable(table) {
  var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
  var body = table.tBodies[0];
  if (!body) return;
  headers.forEach(function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    var label = document.createElement("span");
    label.textContent = th.textContent.trim();
    label.className = "sort-label";
    var icon = document.createElement("span");
    icon.className = "sort-icon";
    icon.setAttribute("aria-hidden", "true");
    button.appendChild(label);
    button.appendChild(icon);
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var current = th.getAttribute("aria-sort");
      // Numbers first show the largest (where to look); names start at A.
      var descending = current ? current === "ascending" : th.getAttribute("data-sort") === "number";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      sortRows(body, column, th.getAttribute("data-sort"), descending);
    });
  });
}

function sortRows(body, column, type, descending) {
  var rows = Array.prototype.slice.call(body.rows);
  var keyed = rows.map(function (row, index) {
    var cell = row.cells[column];
    var raw = cell ? cell.getAttribute("data-value") : "";
    var value = raw === null || raw === "" ? null : (type === "number" ? Number(raw) : raw.toLowerCase());
    return { row: row, value: value, index: index };
  });
  keyed.sort(function (a, b) {
    if (a.value === null && b.value === null) return a.index - b.index;
    if (a.value === null) return 1; // no figure: always last
    if (b.value === null) return -1;
    var order = a.value < b.value ? -1 : (a.value > b.value ? 1 : 0);
    if (descending) order = -order;
    return order || a.index - b.index;
  });
  keyed.forEach(function (k) { body.appendChild(k.row); });
}

Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), sortable);

// ---------------------------------------------------------------- charts
// Draws dashed target lines with a label; options.plugins.targets: [{axis, scale, value, label, color}].
var targetPlugin = {
  id: "targets",
  afterDatasetsDraw: function (chart, _args, options) {
    var lines = (options && options.lines) || [];
    var area = chart.chartArea;
    var ctx = chart.ctx;
    lines.forEach(function (line) {
      var scale = chart.scales[line.scale];
      if (!scale) return;
      var pos = line.axis === "x" ? line.pixel(chart) : scale.getPixelForValue(line.value);
      if (pos === null || isNaN(pos)) return;
      ctx.save();
      ctx.strokeStyle = line.color;
      ctx.fillStyle = line.color;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 5]);
      ctx.beginPath();
      if (line.axis === "x") {
        ctx.moveTo(pos, area.top);
        ctx.lineTo(pos, area.bottom);
      } else {
        if (pos < area.top || pos > area.bottom) { ctx.restore(); return; }
        ctx.moveTo(area.left, pos);
        ctx.lineTo(area.right, pos);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      var width = ctx.measureText(line.label).width;
      var x = line.axis === "x" ? pos + 6 : area.right - width - 6;
      var y = line.axis === "x" ? area.top + 14 : pos - 6;
      ctx.fillStyle = "rgba(255, 255, 255, .85)";
      ctx.fillRect(x - 3, y - 12, width + 6, 16);
      ctx.fillStyle = line.color;
      ctx.fillText(line.label, x, y);
      ctx.restore();
    });
  }
};

function baseOptions() {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { position: "bottom", labels: { color: COLORS.ink, usePointStyle: true, boxWidth: 10, padding: 16 } },
      tooltip: { backgroundColor: "rgba(29, 35, 32, .92)", padding: 10 }
    }
  };
}

function trendChart(canvas, figures) {
  var byDay = Array.isArray(figures.by_day) ? figures.by_day : [];
  var labels = [], visits = [], greet = [], ack = [];
  if (byDay.length) {
    var lookup = {};
    byDay.forEach(function (d) { lookup[d.date] = d; });
    var last = byDay[byDay.length - 1].date;
    // Every calendar day, so closed days show as gaps rather than disappearing.
    for (var day = byDay[0].date, guard = 0; day <= last && guard < 800; day = nextDay(day), guard++) {
      var d = lookup[day];
      labels.push(dayLabel(day));
      visits.push(d ? d.visits : 0);
      greet.push(d && d.greet_seconds ? d.greet_seconds.p50 : null);
      ack.push(d && d.acknowledge_seconds ? d.acknowledge_seconds.p50 : null);
    }
  }
  var maxSeconds = Math.max(GREET_TARGET * 1.25, Math.max.apply(null, greet.concat(ack).filter(function (v) { return v !== null; }).concat([0])) * 1.1);
  var options = baseOptions();
  options.scales = {
    x: { grid: { display: false }, ticks: { color: COLORS.soft, maxRotation: 0, autoSkipPadding: 14 } },
    visits: {
      type: "linear", position: "left", beginAtZero: true,
      title: { display: true, text: t("visits"), color: COLORS.soft },
      grid: { color: COLORS.grid }, ticks: { color: COLORS.soft, precision: 0, callback: number }
    },
    seconds: {
      type: "linear", position: "right", beginAtZero: true, suggestedMax: maxSeconds,
      title: { display: true, text: t("median_time"), color: COLORS.soft },
      grid: { drawOnChartArea: false }, ticks: { color: COLORS.soft, callback: axisSecs }
    }
  };
  options.plugins.tooltip.callbacks = {
    label: function (item) {
      var name = item.dataset.label;
      return name + ": " + (item.dataset.yAxisID === "seconds" ? secs(item.parsed.y) : number(item.parsed.y));
    }
  };
  options.plugins.targets = {
    lines: [
      { axis: "y", scale: "seconds", value: GREET_TARGET, color: COLORS.greetTarget, label: t("greet_target", { time: secs(GREET_TARGET) }) },
      { axis: "y", scale: "seconds", value: ACK_TARGET, color: COLORS.ackTarget, label: t("ack_target", { time: secs(ACK_TARGET) }) }
    ]
  };
  return new window.Chart(canvas, {
    data: {
      labels: labels,
      datasets: [
        { type: "line", label: t("greet_line"), data: greet, yAxisID: "seconds", borderColor: COLORS.greet,
          backgroundColor: COLORS.greet, borderWidth: 2.5, pointRadius: 2, tension: 0.3, spanGaps: true, order: 1 },
        { type: "line", label: t("ack_line"), data: ack, yAxisID: "seconds", borderColor: COLORS.acknowledge,
          backgroundColor: COLORS.acknowledge, borderWidth: 2.5, pointRadius: 2, tension: 0.3, spanGaps: true, order: 2 },
        { type: "bar", label: t("visits"), data: visits, yAxisID: "visits", backgroundColor: COLORS.visits,
          borderColor: COLORS.visitsBorder, borderWidth: 0, borderRadius: 3, order: 3 }
      ]
    },
    options: options,
    plugins: [targetPlugin]
  });
}

function histogramChart(canvas, figures) {
  var h = figures.greet_histogram || {};
  var size = Number(h.bucket_seconds) || 30;
  var counts = Array.isArray(h.counts) ? h.counts : [];
  var labels = counts.map(function (_, i) {
    if (i === counts.length - 1) return "≥ " + axisSecs(i * size);
    return i === 0 ? "< " + axisSecs(size) : axisSecs(i * size) + "–" + axisSecs((i + 1) * size);
  });
  var colors = counts.map(function (_, i) { return (i + 1) * size <= GREET_TARGET ? COLORS.within : COLORS.over; });
  var options = baseOptions();
  options.plugins.legend = { display: false };
  options.interaction = { mode: "index", intersect: false };
  options.scales = {
    x: { grid: { display: false }, ticks: { color: COLORS.soft, maxRotation: 0, autoSkipPadding: 10 },
         title: { display: true, text: t("time_to_greet"), color: COLORS.soft } },
    y: { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { color: COLORS.soft, precision: 0, callback: number },
         title: { display: true, text: t("guests"), color: COLORS.soft } }
  };
  options.plugins.tooltip.callbacks = {
    label: function (item) { return t(item.parsed.y === 1 ? "guest_one" : "guest_many", { n: number(item.parsed.y) }); }
  };
  var boundary = GREET_TARGET / size; // the target as a position on the bucket axis
  options.plugins.targets = {
    lines: [{
      axis: "x", scale: "x", color: COLORS.greetTarget, label: t("target", { time: secs(GREET_TARGET) }),
      pixel: function (chart) {
        var x = chart.scales.x;
        if (counts.length < 2) return null;
        var step = x.getPixelForValue(1) - x.getPixelForValue(0);
        return x.getPixelForValue(0) - step / 2 + Math.min(boundary, counts.length) * step;
      }
    }]
  };
  return new window.Chart(canvas, {
    type: "bar",
    data: { labels: labels, datasets: [{ label: t("guests"), data: counts, backgroundColor: colors, borderRadius: 3,
                                         categoryPercentage: 0.92, barPercentage: 0.95 }] },
    options: options,
    plugins: [targetPlugin]
  });
}

function describe(figures) {
  var trend = byId("chart-trend");
  var histogram = byId("chart-histogram");
  var days = (figures.by_day || []).length;
  if (trend) {
    trend.setAttribute("aria-label", t("trend_described", {
      days: number(days), greet: secs(figures.greet_seconds && figures.greet_seconds.p50), greet_target: secs(GREET_TARGET),
      ack: secs(figures.acknowledge_seconds && figures.acknowledge_seconds.p50), ack_target: secs(ACK_TARGET)
    }));
  }
  if (histogram) {
    var within = figures.greeted_within_target_pct;
    histogram.setAttribute("aria-label", within === null || within === undefined
      ? t("histogram_described_none", { target: secs(GREET_TARGET) })
      : t("histogram_described", { pct: percent(within), target: secs(GREET_TARGET) }));
  }
}

function showChartError(text) {
  var box = byId("charts-error");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
}

function drawCharts() {
  var section = byId("charts");
  if (!section) return;
  if (typeof window.Chart !== "function") {
    section.hidden = false;
    showChartError(t("charts_not_loaded"));
    return;
  }
  var query = cleanQuery(window.location.search);
  request("GET", "/api/v1/stats" + (query ? "?" + query : "")).then(function (answer) {
    section.hidden = false;
    if (!answer.status || !answer.data) { // no answer, or not JSON
      showChartError(t("charts_not_loaded"));
      return;
    }
    if (!answer.ok) {
      var message = answer.data.error && answer.data.error.message;
      showChartError(t("charts_not_drawn", { reason: message || t("server_unexpected") }));
      return;
    }
    window.Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
    window.Chart.defaults.color = COLORS.soft;
    trendChart(byId("chart-trend"), answer.data);
    histogramChart(byId("chart-histogram"), answer.data);
    describe(answer.data);
    section.setAttribute("data-ready", "true");
  }).catch(function () {
    section.hidden = false;
    showChartError(t("charts_not_loaded"));
  });
}

drawCharts();
