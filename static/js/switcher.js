// The quick switcher (Ctrl+K / Cmd+K): a modal dialog with a combobox over every server, channel,
// DM and member the reader can see (GET /search/switcher), searched in the browser with
// minisearch (prefix and fuzzy, so typos still find), ranked up by recent use: the pages opened
// (from the switcher or not), kept per user in localStorage by URL. Keyboard first: arrows, Enter,
// Escape.
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  const labels = document.getElementById("search-labels");
  if (!labels || typeof MiniSearch === "undefined") return;
  const L = labels.dataset;
  const me = L.user || "me";
  const RECENT_KEY = `pokynano.switcher.recent.${me}`;
  const MAX_RECENT = 30;
  const MAX_SHOWN = 10;

  const recent = () => {
    try {
      const list = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  };
  const remember = (key) => {
    const list = recent().filter((r) => r.key !== key);
    list.unshift({ key, at: Date.now() });
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, MAX_RECENT)));
    } catch {
      // storage full or disabled: the switcher still works, unranked
    }
  };

  let dialog = null;
  let input;
  let list;
  let index = null;
  let all = [];
  let shown = [];
  let active = 0;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "switcher";
    dialog.setAttribute("aria-labelledby", "switcher-title");
    const title = document.createElement("h2");
    title.id = "switcher-title";
    title.className = "visually-hidden";
    title.textContent = L.switcherTitle;
    input = document.createElement("input");
    input.type = "text";
    input.id = "switcher-input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-controls", "switcher-list");
    input.setAttribute("aria-describedby", "switcher-help");
    input.setAttribute("aria-label", L.switcherTitle);
    input.placeholder = L.switcherPlaceholder;
    const help = document.createElement("p");
    help.id = "switcher-help";
    help.className = "muted small";
    help.textContent = L.switcherHelp;
    list = document.createElement("ul");
    list.id = "switcher-list";
    list.className = "switcher-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", L.switcherTitle);
    dialog.append(title, input, list, help);
    document.body.append(dialog);
    input.addEventListener("input", render);
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (shown.length) active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
        paint();
      } else if (e.key === "Enter") {
        e.preventDefault();
        go(shown[active]);
      }
    });
    list.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-index]");
      if (li) go(shown[Number(li.dataset.index)]);
    });
    dialog.addEventListener("close", () => {
      input.value = "";
    });
  }

  async function load() {
    const res = await fetch("/search/switcher", { headers: { Accept: "application/json" } });
    all = res.ok ? await res.json() : [];
    all.forEach((item, i) => (item.key = item.url, item.n = i));
    index = new MiniSearch({ idField: "n", fields: ["name", "detail"], storeFields: ["n"], searchOptions: { prefix: true, fuzzy: 0.25, boost: { name: 2 } } });
    index.addAll(all);
  }

  /** A recent jump counts more the more recent it is (rank 0 doubles the score). */
  function recency() {
    const ranks = new Map();
    recent().forEach((r, i) => ranks.set(r.key, i));
    return (item) => (ranks.has(item.key) ? 1 + 1 / (1 + ranks.get(item.key)) : 1);
  }

  function render() {
    const q = input.value.trim();
    const boost = recency();
    if (!q) {
      const order = new Map(recent().map((r, i) => [r.key, i]));
      shown = all.filter((i) => order.has(i.key)).sort((a, b) => order.get(a.key) - order.get(b.key));
      if (shown.length < MAX_SHOWN) shown.push(...all.filter((i) => !order.has(i.key) && i.kind !== "member").slice(0, MAX_SHOWN - shown.length));
    } else {
      shown = index
        .search(q)
        .map((hit) => ({ item: all[hit.id], score: hit.score * boost(all[hit.id]) }))
        .sort((a, b) => b.score - a.score)
        .map((x) => x.item);
    }
    shown = shown.slice(0, MAX_SHOWN);
    active = 0;
    paint();
  }

  const KIND = { server: "switcherServer", channel: "switcherChannel", dm: "switcherDm", member: "switcherMember" };
  function paint() {
    list.replaceChildren(
      ...shown.map((item, i) => {
        const li = document.createElement("li");
        li.id = `switcher-option-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.dataset.index = String(i);
        li.dataset.kind = item.kind;
        const name = document.createElement("strong");
        name.textContent = item.icon ? `${item.icon} ${item.name}` : item.name;
        const detail = document.createElement("span");
        detail.className = "muted small";
        detail.textContent = ` ${L[KIND[item.kind]]}${item.detail ? ` · ${item.detail}` : ""}`;
        li.append(name, detail);
        return li;
      }),
    );
    if (shown.length === 0) {
      const li = document.createElement("li");
      li.className = "muted";
      li.setAttribute("aria-disabled", "true");
      li.textContent = L.switcherNone;
      list.append(li);
      input.removeAttribute("aria-activedescendant");
    } else {
      input.setAttribute("aria-activedescendant", `switcher-option-${active}`);
      document.getElementById(`switcher-option-${active}`)?.scrollIntoView({ block: "nearest" });
    }
  }

  function go(item) {
    if (!item) return;
    remember(item.url);
    dialog.close();
    pokynanoPage.navigate(item.url);
  }

  async function open() {
    if (!dialog) build();
    if (dialog.open) return;
    dialog.showModal();
    input.focus();
    await load();
    render();
  }

  // Opening a conversation is a use too, however it was reached.
  if (/^\/channels\/[^/]+\/[^/]+$/.test(location.pathname)) remember(location.pathname);

  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
      e.preventDefault();
      if (dialog?.open) dialog.close();
      else open();
    }
  }, { signal });
  document.addEventListener("click", (e) => {
    if (e.target.closest("[data-switcher-open]")) open();
  }, { signal });
});
