// The composer: Enter sends (Shift+Enter for a new line). Each message gets a nonce and appears
// at once as "pending"; the server's broadcast of the same message (carrying the nonce) replaces
// it. A failed send keeps the text and says why; retrying reuses the nonce, so nothing doubles.
const form = document.querySelector("form[data-composer]");
const list = document.getElementById("messages");
const scroller = document.getElementById("message-scroll");

const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
const toBottom = () => {
  scroller.scrollTop = scroller.scrollHeight;
};
if (scroller) toBottom();

// Messages that arrive while this tab is visible are read: tell the server (it keeps the
// sidebar's unread state). Esc marks the channel read too.
const ack = (messageId) => {
  const body = new URLSearchParams(messageId ? { message_id: messageId } : {});
  fetch(`/channels/${list.dataset.channelId}/ack`, { method: "POST", body, credentials: "same-origin" }).catch(() => {});
};

if (list) {
  new MutationObserver((records) => {
    const stick = nearBottom();
    let newest = null;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        const nonce = node.dataset.nonce;
        if (nonce) document.getElementById(`pending-${nonce}`)?.remove();
        if (node.id?.startsWith("m-")) newest = node.id.slice(2);
      }
    }
    if (newest && !document.hidden) ack(newest);
    if (stick) toBottom();
  }).observe(list, { childList: true });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") ack(null);
  });
}

if (form && list) {
  const input = form.querySelector("textarea");
  const error = form.querySelector(".composer-error");
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content) return;
    const nonce = form.dataset.retryNonce || `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 25);
    const pending = document.createElement("article");
    pending.className = "message pending";
    pending.id = `pending-${nonce}`;
    pending.textContent = content;
    list.appendChild(pending);
    toBottom();
    input.value = "";
    error.hidden = true;
    try {
      const res = await fetch(form.action, {
        method: "POST",
        headers: { "X-Composer": "1" },
        body: new URLSearchParams({ content, nonce }),
        credentials: "same-origin",
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message || `HTTP ${res.status}`);
      }
      delete form.dataset.retryNonce;
    } catch (err) {
      pending.remove();
      input.value = content;
      form.dataset.retryNonce = nonce;
      error.textContent = err.message;
      error.hidden = false;
    }
  });
}
