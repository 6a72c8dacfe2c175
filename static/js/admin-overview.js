// Admin overview: small live charts (uPlot, served from /static/vendor) of the figures the server
// samples every 5 s; the figure list is refreshed from the same JSON.
(function () {
  "use strict";
  var root = document.getElementById("ops-charts");
  if (!root || typeof window.uPlot !== "function") return;
  var source = root.getAttribute("data-source");
  var charts = [];
  var colors = ["#5865f2", "#23a55a", "#f0b232"];

  function build(figure) {
    var keys = figure.getAttribute("data-series").split(",");
    var labels = figure.getAttribute("data-labels").split("|");
    var series = [{}].concat(keys.map(function (k, i) {
      return { label: labels[i] || k, stroke: colors[i % colors.length], width: 2 };
    }));
    var width = Math.max(240, Math.min(figure.clientWidth || 360, 520));
    var plot = new window.uPlot({ width: width, height: 160, series: series, legend: { show: true }, scales: { x: { time: true } } }, [[]].concat(keys.map(function () { return []; })), figure);
    charts.push({ keys: keys, plot: plot });
  }

  function update(data) {
    var t = data.samples.map(function (s) { return s.t; });
    charts.forEach(function (c) {
      c.plot.setData([t].concat(c.keys.map(function (k) { return data.samples.map(function (s) { return s[k]; }); })));
    });
    Object.keys(data.totals).forEach(function (key) {
      var el = document.querySelector('[data-figure="' + key + '"]');
      if (el && typeof data.totals[key] === "number" && key !== "storageBytes" && key !== "dbBytes" && key !== "uptimeSeconds") el.textContent = String(data.totals[key]);
    });
    root.setAttribute("data-ready", String(data.samples.length));
  }

  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) update(data); })
      .catch(function () {});
  }

  Array.prototype.forEach.call(root.querySelectorAll(".ops-chart"), build);
  poll();
  setInterval(poll, 5000);
})();
