// The composer: Enter sends (Shift+Enter for a new line). Each message gets a nonce and appears
// at once as "pending"; the server's broadcast of the same message (carrying the nonce) replaces
// it. A failed send keeps the text and says why; retrying reuses the nonce, so nothing doubles.
// Also here: replying (the bar above the composer), editing in place (Up edits your last
// message), and the countdown when the server says to slow down (429 with retry_after).
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  window.pokynanoComposer ??= { hooks: [] };
  const form = document.querySelector("form[data-composer]");
  const list = document.getElementById("messages");

  if (form && list) {
    const input = form.querySelector("textarea");
    const error = form.querySelector(".composer-error");
    const sendButton = form.querySelector("button[type=submit]");
    const replyBar = form.querySelector("#reply-bar");
    const replyTo = form.querySelector("input[name=reply_to]");
    const replyPing = form.querySelector("input[name=reply_ping]");
    const replyLabel = replyBar.querySelector(".reply-label");

    const setReply = (id, name) => {
      replyTo.value = id || "";
      replyBar.hidden = !id;
      if (id) replyLabel.textContent = replyLabel.dataset.template.replace("{name}", name);
    };
    const showError = (message) => {
      error.textContent = message;
      error.hidden = !message;
    };

    // Rate limited: keep the text, count down, and allow sending again when the wait is over.
    let countdown = null;
    const waitFor = (seconds, message) => {
      clearInterval(countdown);
      let left = Math.ceil(seconds);
      sendButton.disabled = true;
      const tick = () => {
        if (left <= 0) {
          clearInterval(countdown);
          sendButton.disabled = false;
          showError("");
          return;
        }
        showError(`${message} (${left} s)`);
        left--;
      };
      tick();
      countdown = setInterval(tick, 1000);
    };

    input.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "ArrowUp" && input.value === "") {
        // Up in an empty composer edits your last message, as in Discord and Slack.
        const mine = list.querySelectorAll(`.message[data-author-id="${list.dataset.me}"] [data-edit]`);
        const last = mine[mine.length - 1];
        if (last) {
          event.preventDefault();
          last.click();
        }
      } else if (event.key === "Escape" && !replyBar.hidden) {
        setReply(null);
      }
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sendButton.disabled) return;
      const content = (window.pokynanoMentions?.expand(input.value) ?? input.value).trim();
      // Other composer features (attachments, commands, ...) plug in through window.pokynanoComposer:
      // intercept(content) may take the text over (return true), fields() adds form fields to the
      // send (e.g. uploaded attachment ids), sent() runs after a successful send.
      const hooks = window.pokynanoComposer?.hooks ?? [];
      for (const hook of hooks) if (hook.intercept && (await hook.intercept(content, { input, showError }))) return;
      const extra = new URLSearchParams();
      for (const hook of hooks) for (const [k, v] of (await hook.fields?.()) ?? []) extra.append(k, v);
      if (!content && [...extra.keys()].length === 0) return;
      const nonce = form.dataset.retryNonce || `${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 25);
      const pending = document.createElement("article");
      pending.className = "message pending";
      pending.id = `pending-${nonce}`;
      pending.textContent = content;
      list.appendChild(pending);
      const body = new URLSearchParams({ content, nonce });
      for (const [k, v] of extra) body.append(k, v);
      if (replyTo.value) {
        body.set("reply_to", replyTo.value);
        if (replyPing.checked) body.set("reply_ping", "1");
      }
      const typed = input.value;
      input.value = "";
      showError("");
      try {
        const res = await fetch(form.action, { method: "POST", headers: { Accept: "application/json", "X-Composer": "1" }, body, credentials: "same-origin" });
        if (!res.ok) {
          const answer = await res.json().catch(() => ({}));
          const failure = new Error(answer.message || `HTTP ${res.status}`);
          failure.retryAfter = res.status === 429 ? Number(answer.retry_after ?? res.headers.get("Retry-After") ?? 1) : 0;
          throw failure;
        }
        delete form.dataset.retryNonce;
        setReply(null);
        for (const hook of hooks) hook.sent?.();
      } catch (err) {
        pending.remove();
        input.value = typed;
        form.dataset.retryNonce = nonce;
        if (err.retryAfter) waitFor(err.retryAfter, err.message);
        else showError(err.message);
      }
    });

    replyBar.querySelector("[data-cancel-reply]").addEventListener("click", () => setReply(null));

    list.addEventListener("click", (event) => {
      const reply = event.target.closest("[data-reply]");
      if (reply) {
        setReply(reply.dataset.reply, reply.dataset.replyName);
        input.focus();
      }
      if (event.target.closest("[data-edit-cancel]")) closeEdit(event.target.closest(".message-edit-slot"));
    });
  }

  function closeEdit(slot) {
    if (!slot) return;
    slot.replaceChildren();
    document.getElementById("composer-input")?.focus();
  }

  // The edit form (loaded into a message by htmx): Enter saves, Shift+Enter is a new line, Escape
  // cancels; an empty edit is refused by the server with a message shown under the field.
  if (list) {
    list.addEventListener("keydown", (event) => {
      const field = event.target.closest(".edit-form textarea");
      if (!field || event.isComposing) return;
      if (event.key === "Escape") {
        event.preventDefault();
        closeEdit(field.closest(".message-edit-slot"));
      } else if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        field.form.requestSubmit();
      }
    });
    list.addEventListener("htmx:after:swap", (event) => {
      const field = event.target.querySelector?.(".edit-form textarea");
      if (field) {
        field.focus();
        field.setSelectionRange(field.value.length, field.value.length);
      }
    });
    list.addEventListener("submit", async (event) => {
      const edit = event.target.closest(".edit-form");
      if (!edit) return;
      event.preventDefault();
      const error = edit.querySelector(".field-error");
      const res = await fetch(edit.action, { method: "POST", headers: { Accept: "application/json", "X-Composer": "1" }, body: new URLSearchParams(new FormData(edit)), credentials: "same-origin" }).catch(() => null);
      if (res?.ok) return; // the broadcast of the edited message replaces the form
      const answer = res ? await res.json().catch(() => ({})) : {};
      error.textContent = answer.message || (res ? `HTTP ${res.status}` : "Network error");
      error.hidden = false;
    });
  }
});
