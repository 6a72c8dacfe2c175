// The emoji picker: opened from the composer's 😊 button (inserts the emoji into the message) or
// from a message's "+" reaction button (reacts with it). Search asks the server (/emojis/search,
// minisearch over unicode names and the custom emoji usable in this channel); recent picks are
// remembered in localStorage. A custom emoji of this server is inserted as :name: (the server
// turns it into <:name:id> on send); one from another server as <:name:id>.
// One picker per page serves every composer: the channel's and the thread pane's (swapped in by
// htmx later): a [data-emoji-open] button inserts into the textarea of its own form.
pokynanoPage.init((signal) => {
  const picker = document.getElementById("emoji-picker");
  if (!picker) return;
  // Composers rendered without a picker of their own (the thread pane's) show their button only when this page has one.
  document.documentElement.classList.add("has-emoji-picker");
  const input = picker.querySelector(".emoji-search");
  const sections = picker.querySelector(".emoji-sections");
  const channelId = picker.dataset.channelId;
  const RECENT_KEY = "pokynano.recentEmoji";
  let target = null; // { kind: "composer" } or { kind: "react", action }
  let timer = null;
  let asked = 0;

  const recent = () => {
    try {
      const list = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
      return Array.isArray(list) ? list.slice(0, 24) : [];
    } catch {
      return [];
    }
  };
  const remember = (e) => {
    const key = (x) => (x.kind === "custom" ? x.id : x.emoji);
    const list = [e, ...recent().filter((x) => key(x) !== key(e))].slice(0, 24);
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(list));
    } catch {}
  };

  const button = (e) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "emoji-option";
    b.title = `:${e.name}:`;
    b.setAttribute("aria-label", `:${e.name}:`);
    if (e.kind === "custom") {
      const img = document.createElement("img");
      img.src = e.url;
      img.alt = `:${e.name}:`;
      img.width = 24;
      img.height = 24;
      b.append(img);
    } else b.textContent = e.emoji;
    b.addEventListener("click", () => choose(e));
    return b;
  };

  const section = (title, list) => {
    const wrap = document.createElement("section");
    const h = document.createElement("h3");
    h.className = "small muted";
    h.textContent = title;
    const grid = document.createElement("div");
    grid.className = "emoji-grid";
    grid.append(...list.map(button));
    wrap.append(h, grid);
    return wrap;
  };

  const render = (results, query) => {
    const parts = [];
    const mine = recent();
    if (!query && mine.length) parts.push(section(picker.dataset.labelRecent, mine));
    if (results.length) parts.push(section(picker.dataset.labelResults, results));
    else if (query) {
      const p = document.createElement("p");
      p.className = "muted small";
      p.textContent = picker.dataset.labelEmpty;
      parts.push(p);
    }
    sections.replaceChildren(...parts);
  };

  const search = async () => {
    const query = input.value.trim();
    const mine = ++asked;
    try {
      const res = await fetch(`/emojis/search?channel=${encodeURIComponent(channelId)}&q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } });
      if (!res.ok || mine !== asked) return;
      render(await res.json(), query);
    } catch {}
  };

  const open = (how, anchor) => {
    target = how;
    picker.hidden = false;
    const rect = anchor.getBoundingClientRect();
    picker.style.setProperty("--picker-bottom", `${Math.max(8, window.innerHeight - rect.top + 6)}px`);
    input.value = "";
    search();
    input.focus();
  };
  const close = () => {
    picker.hidden = true;
    const back = target?.anchor;
    target = null;
    back?.focus?.();
  };

  const fieldOf = (how) => how.anchor?.closest?.("form")?.querySelector("textarea") ?? document.querySelector("form[data-composer] textarea");
  const insert = (field, text) => {
    if (!field) return;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    const before = field.value.slice(0, start);
    const pad = before && !/\s$/.test(before) ? " " : "";
    field.value = `${before}${pad}${text} ${field.value.slice(end)}`;
    const caret = before.length + pad.length + text.length + 1;
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const choose = async (e) => {
    remember(e);
    const how = target;
    close();
    if (!how) return;
    if (how.kind === "composer") {
      const field = fieldOf(how);
      insert(field, e.kind === "unicode" ? e.emoji : e.local ? `:${e.name}:` : `<${e.animated ? "a" : ""}:${e.name}:${e.id}>`);
      field?.focus();
    } else {
      const body = new URLSearchParams({ emoji: e.kind === "unicode" ? e.emoji : `${e.name}:${e.id}` });
      await fetch(how.action, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true" }, body });
    }
  };

  // The composers' 😊 and the "+" of each message's reactions: they arrive live, so listen on the document.
  document.addEventListener("click", (ev) => {
    const button = ev.target.closest?.("[data-emoji-open]");
    if (button) {
      if (picker.hidden || target?.anchor !== button) open({ kind: "composer", anchor: button }, button);
      else close();
      return;
    }
    const add = ev.target.closest?.("[data-emoji-react]");
    if (add) {
      ev.preventDefault();
      open({ kind: "react", action: add.dataset.emojiReact, anchor: add }, add);
      return;
    }
    if (!picker.hidden && !picker.contains(ev.target) && !ev.target.closest?.("[data-emoji-open]")) close();
  }, { signal });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  picker.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    } else if (ev.key === "Enter" && ev.target === input) {
      ev.preventDefault();
      picker.querySelector(".emoji-option")?.click();
    }
  });
});
