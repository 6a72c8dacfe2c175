// Admin jobs: progress bars kept current from the server's job feed (Server-Sent Events). A job
// the page does not show yet (started in another tab) reloads the list once it finishes.
(function () {
  "use strict";
  var list = document.getElementById("ops-jobs");
  if (!list || typeof EventSource !== "function") return;
  var events = new EventSource(list.getAttribute("data-events"));
  events.addEventListener("job", function (e) {
    var job = JSON.parse(e.data);
    var row = document.getElementById("job-" + job.id);
    if (!row) {
      if (job.status === "done" || job.status === "failed" || job.status === "cancelled") window.location.reload();
      return;
    }
    // The feed starts with the state of every listed job: only a change of state matters.
    var was = row.getAttribute("data-status");
    var bar = row.querySelector("progress");
    var pct = Math.round(job.progress * 100);
    if (bar) { bar.value = pct; bar.setAttribute("aria-label", pct + "%"); }
    row.setAttribute("data-status", job.status);
    var status = row.querySelector('[data-role="status"]');
    if (status) status.textContent = job.label;
    var detail = row.querySelector('[data-role="detail"]');
    if (detail) detail.textContent = job.error || job.detail || "";
    if (job.status !== "queued" && job.status !== "running") {
      var cancel = row.querySelector('[data-role="cancel"]');
      if (cancel) cancel.remove();
      if (job.status === "done" && job.kind === "export" && (was === "queued" || was === "running")) window.location.reload();
    }
  });
})();
