// A timeout seen live (src/moderation/live.tsx): when the server swaps the composer's slot for
// "your timeout is over" ([data-send-reload]), or when a timeout shown on the page runs out
// ([data-send-until]), reload so the composer comes back with its scripts bound (in place during a
// call: static/js/page.js).
// Wrapped: classic scripts share one global scope with the page's other scripts.
pokynanoPage.init((signal) => {
  const slot = document.querySelector("[data-send-slot]");
  const parent = slot?.parentElement;
  if (!parent) return;
  // setTimeout's longest wait is about 24.8 days; a timeout lasts at most 28.
  const MAX_WAIT = 2 ** 31 - 1;
  let timer = null;
  const check = () => {
    const now = parent.querySelector(":scope > [data-send-slot]");
    if (!now) return;
    if (now.hasAttribute("data-send-reload")) {
      pokynanoPage.reload();
      return;
    }
    clearTimeout(timer);
    const until = now.dataset.sendUntil ? Date.parse(now.dataset.sendUntil) : NaN;
    if (Number.isFinite(until) && until - Date.now() < MAX_WAIT) timer = setTimeout(() => pokynanoPage.reload(), Math.max(0, until - Date.now()) + 1000);
  };
  signal.addEventListener("abort", () => clearTimeout(timer));
  new MutationObserver(check).observe(parent, { childList: true });
  check();
});
