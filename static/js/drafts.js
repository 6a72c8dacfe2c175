// Unsent drafts survive reloads and going offline: the composer's text is kept per channel in
// localStorage as it is typed, put back when the channel opens, and forgotten once sent.
pokynanoPage.init((signal) => {
  const form = document.querySelector("form[data-composer]");
  const input = form?.querySelector("textarea");
  if (!form || !input) return;
  const key = `pokynano.draft.${new URL(form.action, location.href).pathname}`;
  const store = {
    get: () => {
      try {
        return localStorage.getItem(key) ?? "";
      } catch {
        return "";
      }
    },
    set: (v) => {
      try {
        if (v.trim()) localStorage.setItem(key, v);
        else localStorage.removeItem(key);
      } catch {
        // Storage full or disabled: the draft simply lives as long as the page.
      }
    },
  };
  const saved = store.get();
  // No synthetic input event: that would tell the others this person is typing.
  if (saved && !input.value) input.value = saved;
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => store.set(input.value), 150);
  });
  // Leaving the page before the timer fires still keeps the last keystrokes.
  window.addEventListener("pagehide", () => store.set(input.value), { signal });
  // Left in place (in-page navigation during a call): saved as when the page goes.
  signal.addEventListener("abort", () => store.set(input.value));
  window.pokynanoComposer ??= { hooks: [] };
  window.pokynanoComposer.hooks.push({
    sent() {
      clearTimeout(timer);
      store.set(input.value);
    },
  });
});
