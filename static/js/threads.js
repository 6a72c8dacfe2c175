// The thread pane (swapped in and out by htmx, so every listener is delegated): its composer sends
// with Enter (Shift+Enter for a new line), keeps a nonce so a retry never doubles a message, and
// shows why a send failed; the thread's messages stay scrolled to the newest. Attachments plug in
// through the form's own hooks (form.pokynanoHooks, the same shape as window.pokynanoComposer's).
pokynanoPage.init((signal) => {
const newestFirst = (scroller) => {
  scroller.scrollTop = scroller.scrollHeight;
};

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLTextAreaElement) || !input.form?.matches("form[data-thread-composer]")) return;
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    input.form.requestSubmit();
  }
}, { signal });

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("form[data-thread-composer]")) return;
  event.preventDefault();
  const input = form.querySelector("textarea");
  const error = form.querySelector(".composer-error");
  const content = input.value.trim();
  const hooks = form.pokynanoHooks ?? [];
  const showError = (message) => {
    error.textContent = message;
    error.hidden = false;
  };
  error.hidden = true;
  for (const hook of hooks) if (hook.intercept && (await hook.intercept(content, { input, showError }))) return;
  const body = new URLSearchParams({ content });
  for (const hook of hooks) for (const [k, v] of (await hook.fields?.()) ?? []) body.append(k, v);
  // A message with files may have no text.
  if (!content && !body.has("attachments")) return;
  const nonce = form.dataset.retryNonce || `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 25);
  body.set("nonce", nonce);
  input.value = "";
  try {
    const res = await fetch(form.action, {
      method: "POST",
      headers: { "X-Composer": "1", Accept: "application/json" },
      body,
      credentials: "same-origin",
    });
    if (!res.ok) {
      const answer = await res.json().catch(() => ({}));
      throw new Error(answer.message || `HTTP ${res.status}`);
    }
    delete form.dataset.retryNonce;
    for (const hook of hooks) hook.sent?.();
  } catch (err) {
    input.value = content;
    form.dataset.retryNonce = nonce;
    showError(err.message);
  }
}, { signal });

// A newly opened thread shows its newest messages; a live one arriving keeps them in view.
const follow = () => {
  const scroller = document.querySelector("#thread-pane .thread-scroll");
  if (scroller) newestFirst(scroller);
};
document.addEventListener("htmx:after:swap", follow, { signal });
const pane = document.getElementById("thread-pane");
if (pane) {
  follow();
  new MutationObserver(follow).observe(pane, { childList: true, subtree: true });
}
});
