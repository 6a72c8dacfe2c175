// Presence in the browser. (1) A page without a conversation still opens the live socket (the
// shell's #shell-live), so its user is online and its rail and lists stay current. (2) The tab
// tells the server when it is idle (hidden, or no input for IDLE_AFTER_MS) and when it is back.
// (3) Presence fragments the server appends to #presence-feed restyle every status dot of that
// person (DM list, DM header), and the open DM's dot is shown in the header.
// Wrapped: classic scripts share one global scope with the page's other scripts.
pokynanoPage.init((signal) => {
  const IDLE_AFTER_MS = 5 * 60 * 1000;
  const feed = document.getElementById("presence-feed");
  const labels = document.getElementById("presence-labels")?.dataset ?? {};

  const shell = document.getElementById("shell-live");
  if (shell && window.htmx && !document.querySelector("[hx-ws\\:connect]")) {
    shell.setAttribute("hx-ws:connect", shell.dataset.wsUrl);
    shell.setAttribute("hx-swap", "none");
    shell.setAttribute("hx-config", JSON.stringify({ ws: { pauseOnBackground: false } }));
    window.htmx.process(shell);
  }

  // --- idle reporting over the tab's socket (the socket is what identifies the tab) ---
  let socket = null;
  let idle = false;
  let lastInput = Date.now();
  const report = () => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ presence: idle ? "idle" : "active" }));
  };
  const update = () => {
    const now = document.hidden || Date.now() - lastInput >= IDLE_AFTER_MS;
    if (now !== idle) {
      idle = now;
      report();
    }
  };
  document.addEventListener("htmx:ws:after:connection", (event) => {
    socket = event.detail?.connection?.socket ?? null;
    // A fresh socket starts active on the server: say so only when it is not.
    if (idle) report();
  }, { signal });
  for (const type of ["keydown", "pointerdown", "pointermove", "wheel", "focus"]) {
    window.addEventListener(type, () => {
      lastInput = Date.now();
      if (idle) update();
    }, { passive: true, capture: true, signal });
  }
  document.addEventListener("visibilitychange", update, { signal });
  const ticker = setInterval(update, 15000);
  signal.addEventListener("abort", () => clearInterval(ticker));

  // --- live status dots ---
  const apply = (userId, status) => {
    for (const dot of document.querySelectorAll(`[data-presence-of="${CSS.escape(userId)}"]`)) {
      dot.dataset.status = status;
      if (labels[status]) dot.setAttribute("aria-label", labels[status]);
    }
  };
  if (feed) {
    new MutationObserver(() => {
      for (const item of [...feed.children]) {
        if (item.dataset.userId && item.dataset.status) apply(item.dataset.userId, item.dataset.status);
        item.remove();
      }
    }).observe(feed, { childList: true });
  }

  // The open DM's person: show their dot next to the title too.
  const header = document.getElementById("header-presence");
  const activeDot = document.querySelector('.channel-link[aria-current="page"] [data-presence-of]');
  if (header && activeDot) header.appendChild(activeDot.cloneNode(true));
});
