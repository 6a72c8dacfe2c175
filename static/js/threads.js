// The thread pane (swapped in and out by htmx, so every listener is delegated): its composer sends
// with Enter (Shift+Enter for a new line), keeps a nonce so a retry never doubles a message, and
// shows why a send failed; the thread's messages stay scrolled to the newest.
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
});

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("form[data-thread-composer]")) return;
  event.preventDefault();
  const input = form.querySelector("textarea");
  const error = form.querySelector(".composer-error");
  const content = input.value.trim();
  if (!content) return;
  const nonce = form.dataset.retryNonce || `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 25);
  input.value = "";
  error.hidden = true;
  try {
    const res = await fetch(form.action, {
      method: "POST",
      headers: { "X-Composer": "1", Accept: "application/json" },
      body: new URLSearchParams({ content, nonce }),
      credentials: "same-origin",
    });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(body.message || `HTTP ${res.status}`);
    }
    delete form.dataset.retryNonce;
  } catch (err) {
    input.value = content;
    form.dataset.retryNonce = nonce;
    error.textContent = err.message;
    error.hidden = false;
  }
});

// A newly opened thread shows its newest messages; a live one arriving keeps them in view.
const follow = () => {
  const scroller = document.querySelector("#thread-pane .thread-scroll");
  if (scroller) newestFirst(scroller);
};
document.addEventListener("htmx:after:swap", follow);
const pane = document.getElementById("thread-pane");
if (pane) {
  follow();
  new MutationObserver(follow).observe(pane, { childList: true, subtree: true });
}
