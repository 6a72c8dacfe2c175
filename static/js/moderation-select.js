// Selection mode for moderators (views/moderation/channel-tools.tsx): "Select messages" turns the
// message list into a list of choices — a click (or Space/Enter on a focused message) selects or
// unselects it — and the bar says how many and offers "Delete selected", which posts them to the
// channel's bulk delete and shows the server's refusal (older than 14 days, more than 100) in the
// bar. Deleted messages then leave the list live like any delete. Escape or Cancel leaves the mode.
// Wrapped: classic scripts share one global scope with the page's other scripts.
pokynanoPage.init((signal) => {
  const toggle = document.querySelector("[data-select-messages]");
  const bar = document.querySelector("[data-selection-bar]");
  const list = document.getElementById("messages");
  if (!toggle || !bar || !list) return;
  const count = bar.querySelector("[data-selection-count]");
  const remove = bar.querySelector("[data-delete-selected]");
  const error = bar.querySelector(".field-error");
  const selected = new Set();

  const idOf = (article) => article.id.replace(/^m-/, "");
  const showError = (message) => {
    error.textContent = message || "";
    error.hidden = !message;
  };
  const refresh = () => {
    // Messages deleted meanwhile (by anyone) are no longer choices.
    for (const id of selected) if (!document.getElementById(`m-${id}`)) selected.delete(id);
    count.textContent = bar.dataset.countTemplate.replace("{n}", String(selected.size));
    remove.disabled = selected.size === 0;
  };
  const mark = (article, on) => {
    article.classList.toggle("selected", on);
    article.setAttribute("aria-selected", on ? "true" : "false");
  };
  const setMode = (on) => {
    list.classList.toggle("selecting", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    bar.hidden = !on;
    if (on) list.setAttribute("aria-multiselectable", "true");
    else list.removeAttribute("aria-multiselectable");
    for (const article of list.querySelectorAll("article.message")) {
      if (on) article.setAttribute("aria-selected", "false");
      else {
        article.removeAttribute("aria-selected");
        article.classList.remove("selected");
      }
    }
    if (!on) selected.clear();
    showError("");
    refresh();
  };
  const pick = (article) => {
    const id = idOf(article);
    if (!id || article.classList.contains("pending")) return;
    const on = !selected.has(id);
    if (on) selected.add(id);
    else selected.delete(id);
    mark(article, on);
    refresh();
  };

  toggle.addEventListener("click", () => {
    setMode(!list.classList.contains("selecting"));
    // The tools menu closes: the bar and the list are what matter now.
    const menu = toggle.closest("details");
    if (menu) menu.open = false;
  });
  bar.querySelector("[data-cancel-selection]").addEventListener("click", () => setMode(false));
  // Capture: in selection mode a click picks the message instead of reaching its own buttons and links.
  list.addEventListener("click", (event) => {
    if (!list.classList.contains("selecting")) return;
    const article = event.target.closest("article.message");
    if (!article) return;
    event.preventDefault();
    event.stopPropagation();
    pick(article);
  }, true);
  list.addEventListener("keydown", (event) => {
    if (!list.classList.contains("selecting")) return;
    if (event.key === "Escape") return setMode(false);
    if (event.key !== " " && event.key !== "Enter") return;
    const article = event.target.closest("article.message");
    if (!article) return;
    event.preventDefault();
    pick(article);
  }, true);
  // Messages arriving or deleted while selecting.
  new MutationObserver(() => {
    if (!list.classList.contains("selecting")) return;
    for (const article of list.querySelectorAll("article.message:not([aria-selected])")) article.setAttribute("aria-selected", "false");
    refresh();
  }).observe(list, { childList: true });

  remove.addEventListener("click", async () => {
    if (selected.size === 0) return;
    remove.disabled = true;
    showError("");
    const body = new URLSearchParams();
    for (const id of selected) body.append("messages", id);
    const res = await fetch(bar.dataset.action, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body }).catch(() => null);
    if (res && res.ok) return setMode(false);
    const answer = res ? await res.json().catch(() => null) : null;
    showError(answer?.message || (res ? `${res.status}` : "offline"));
    refresh();
  });
});
