// Admin overview: small live charts (uPlot, served from /static/vendor) of the figures the server
// samples every 5 s; the figure list is refreshed from the same JSON. Polling stops with the page
// (in-page navigation during a call, static/js/page.js).
pokynanoPage.init((signal) => {
  const root = document.getElementById("ops-charts");
  if (!root || typeof window.uPlot !== "function") return;
  const source = root.getAttribute("data-source");
  const charts = [];
  const colors = ["#5865f2", "#23a55a", "#f0b232"];

  function build(figure) {
    const keys = figure.getAttribute("data-series").split(",");
    const labels = figure.getAttribute("data-labels").split("|");
    const series = [{}, ...keys.map((k, i) => ({ label: labels[i] || k, stroke: colors[i % colors.length], width: 2 }))];
    const width = Math.max(240, Math.min(figure.clientWidth || 360, 520));
    const plot = new window.uPlot({ width, height: 160, series, legend: { show: true }, scales: { x: { time: true } } }, [[], ...keys.map(() => [])], figure);
    charts.push({ keys, plot });
  }

  function update(data) {
    const t = data.samples.map((s) => s.t);
    for (const c of charts) c.plot.setData([t, ...c.keys.map((k) => data.samples.map((s) => s[k]))]);
    for (const key of Object.keys(data.totals)) {
      const el = document.querySelector(`[data-figure="${key}"]`);
      if (el && typeof data.totals[key] === "number" && key !== "storageBytes" && key !== "dbBytes" && key !== "uptimeSeconds") el.textContent = String(data.totals[key]);
    }
    root.setAttribute("data-ready", String(data.samples.length));
  }

  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" }, signal })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (data && !signal.aborted) update(data);
      })
      .catch(() => {});
  }

  for (const figure of root.querySelectorAll(".ops-chart")) build(figure);
  poll();
  const timer = setInterval(poll, 5000);
  signal.addEventListener("abort", () => {
    clearInterval(timer);
    for (const c of charts) c.plot.destroy();
  });
});
