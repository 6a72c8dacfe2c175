// Admin jobs: progress bars kept current from the server's job feed (Server-Sent Events). A job
// the page does not show yet (started in another tab) reloads the list once it finishes (in place
// during a call, static/js/page.js); the feed closes with the page.
pokynanoPage.init((signal) => {
  const list = document.getElementById("ops-jobs");
  if (!list || typeof EventSource !== "function") return;
  const events = new EventSource(list.getAttribute("data-events"));
  signal.addEventListener("abort", () => events.close());
  const reload = () => {
    events.close();
    pokynanoPage.reload();
  };
  events.addEventListener("job", (e) => {
    const job = JSON.parse(e.data);
    const row = document.getElementById(`job-${job.id}`);
    if (!row) {
      if (job.status === "done" || job.status === "failed" || job.status === "cancelled") reload();
      return;
    }
    // The feed starts with the state of every listed job: only a change of state matters.
    const was = row.getAttribute("data-status");
    const bar = row.querySelector("progress");
    const pct = Math.round(job.progress * 100);
    if (bar) {
      bar.value = pct;
      bar.setAttribute("aria-label", `${pct}%`);
    }
    row.setAttribute("data-status", job.status);
    const status = row.querySelector('[data-role="status"]');
    if (status) status.textContent = job.label;
    const detail = row.querySelector('[data-role="detail"]');
    if (detail) detail.textContent = job.error || job.detail || "";
    if (job.status !== "queued" && job.status !== "running") {
      row.querySelector('[data-role="cancel"]')?.remove();
      if (job.status === "done" && job.kind === "export" && (was === "queued" || was === "running")) reload();
    }
  });
});
