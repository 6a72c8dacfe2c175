// Phone layout (app.css, max-width 640px): the rail and channel sidebar slide in from the left and
// the member list rises as a sheet, each from a header button, closed by Escape, the backdrop, or
// following a link. Touch: a long press on a message opens its actions; swiping a message to the
// right starts a reply. The app fills the *visual* viewport, so the composer stays above the
// on-screen keyboard on browsers that overlay it (iOS Safari).
pokynanoPage.init((signal) => {
  const root = document.documentElement;
  const nav = document.getElementById("app-nav");
  const members = document.getElementById("member-pane");
  const backdrop = document.getElementById("nav-backdrop");
  const navButton = document.getElementById("open-nav");
  const membersButton = document.getElementById("open-members");
  let opener = null;

  function open(which, button) {
    close(false);
    opener = button;
    root.classList.add(which);
    button?.setAttribute("aria-expanded", "true");
    if (backdrop) backdrop.hidden = false;
    const panel = which === "nav-open" ? nav : members;
    panel?.querySelector("a[aria-current='page'], a, button")?.focus();
  }
  function close(restore = true) {
    if (!root.classList.contains("nav-open") && !root.classList.contains("members-open")) return;
    root.classList.remove("nav-open", "members-open");
    navButton?.setAttribute("aria-expanded", "false");
    membersButton?.setAttribute("aria-expanded", "false");
    if (backdrop) backdrop.hidden = true;
    if (restore) opener?.focus();
  }
  navButton?.addEventListener("click", () => (root.classList.contains("nav-open") ? close() : open("nav-open", navButton)));
  membersButton?.addEventListener("click", () => (root.classList.contains("members-open") ? close() : open("members-open", membersButton)));
  backdrop?.addEventListener("click", () => close());
  // A page shown in place (during a call) starts with the drawers shut, as a loaded one does.
  signal.addEventListener("abort", () => close(false));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && (root.classList.contains("nav-open") || root.classList.contains("members-open"))) {
      e.preventDefault();
      close();
    }
  }, { signal });

  const vv = window.visualViewport;
  if (vv) {
    // Pinch-zoom also shrinks the visual viewport: only follow it at normal scale (the keyboard case).
    const fit = () => {
      if (vv.scale <= 1.01) root.style.setProperty("--app-height", `${Math.round(vv.height)}px`);
    };
    vv.addEventListener("resize", fit);
    fit();
  }

  // Touch gestures on messages.
  const LONG_PRESS_MS = 450;
  const SWIPE_PX = 70;
  let press = null;
  const closeActions = () => document.querySelectorAll(".message.actions-open").forEach((m) => m.classList.remove("actions-open"));

  document.addEventListener(
    "touchstart",
    (e) => {
      const message = e.target.closest?.(".message[id]");
      if (!message || e.touches.length !== 1 || e.target.closest("a, button, input, textarea, select, summary")) {
        if (!e.target.closest?.(".message-actions")) closeActions();
        return;
      }
      const t = e.touches[0];
      press = { message, x: t.clientX, y: t.clientY, dx: 0, swiping: false };
      press.timer = setTimeout(() => {
        if (!press || press.swiping) return;
        closeActions();
        message.classList.add("actions-open");
        navigator.vibrate?.(10);
        message.querySelector(".message-actions button, .message-actions a")?.focus({ preventScroll: true });
        press = null;
      }, LONG_PRESS_MS);
    },
    { passive: true, signal },
  );
  document.addEventListener(
    "touchmove",
    (e) => {
      if (!press) return;
      const t = e.touches[0];
      const dx = t.clientX - press.x;
      const dy = t.clientY - press.y;
      if (!press.swiping && (Math.abs(dy) > 12 || dx < -12)) {
        clearTimeout(press.timer);
        press = null;
        return;
      }
      if (dx > 12) {
        clearTimeout(press.timer);
        press.swiping = true;
        press.dx = dx;
        press.message.style.transform = `translateX(${Math.min(dx, SWIPE_PX + 20)}px)`;
      }
    },
    { passive: true, signal },
  );
  const end = () => {
    if (!press) return;
    clearTimeout(press.timer);
    const { message, dx, swiping } = press;
    press = null;
    if (!swiping) return;
    message.style.transform = "";
    if (dx >= SWIPE_PX) message.querySelector("[data-reply]")?.click();
  };
  document.addEventListener("touchend", end, { signal });
  document.addEventListener("touchcancel", end, { signal });
});
