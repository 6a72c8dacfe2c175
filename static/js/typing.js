// Typing indicators. Sending: while keys are pressed in the composer, tell the server at most
// once per 8 s (it tells everyone viewing the channel). Showing: the server appends who is
// typing to #typing-people; this words it with the page's templates, leaves out the viewer,
// and forgets a person after 10 s or as soon as their message arrives.
// Wrapped: classic scripts share one global scope with the page's other scripts.
pokynanoPage.init((signal) => {
  const box = document.getElementById("typing");
  const people = document.getElementById("typing-people");
  const list = document.getElementById("messages");
  const input = document.getElementById("composer-input");
  const SEND_EVERY_MS = 8000;
  const SHOW_FOR_MS = 10000;

  if (box && people && list) {
    const channelId = list.dataset.channelId;
    const selfId = box.dataset.selfId;
    const typing = new Map(); // user id -> { name, until }
    let timer = null;

    const render = () => {
      const now = Date.now();
      for (const [id, p] of typing) if (p.until <= now) typing.delete(id);
      const names = [...typing.values()].map((p) => p.name);
      let text = "";
      if (names.length === 1) text = box.dataset.one.replace("{name}", names[0]);
      else if (names.length === 2) text = box.dataset.two.replace("{a}", names[0]).replace("{b}", names[1]);
      else if (names.length > 2) text = box.dataset.several;
      if (box.textContent !== text) box.textContent = text;
      clearTimeout(timer);
      if (typing.size > 0) timer = setTimeout(render, Math.max(50, Math.min(...[...typing.values()].map((p) => p.until)) - now));
    };

    new MutationObserver(() => {
      for (const el of [...people.children]) {
        const id = el.dataset.userId;
        if (id && id !== selfId) typing.set(id, { name: el.dataset.name || "?", until: Date.now() + SHOW_FOR_MS });
        el.remove();
      }
      render();
    }).observe(people, { childList: true });

    // Their message arrived: they are done typing.
    new MutationObserver((records) => {
      let changed = false;
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1 && node.dataset.authorId && typing.delete(node.dataset.authorId)) changed = true;
        }
      }
      if (changed) render();
    }).observe(list, { childList: true });

    if (input && channelId) {
      let lastSent = 0;
      input.addEventListener("input", () => {
        const now = Date.now();
        if (!input.value.trim() || now - lastSent < SEND_EVERY_MS) return;
        lastSent = now;
        fetch(`/channels/${channelId}/typing`, { method: "POST", credentials: "same-origin" }).catch(() => {});
      });
      // After sending, the next key press says "typing" again at once.
      input.form?.addEventListener("submit", () => {
        lastSent = 0;
      });
    }
  }
});
