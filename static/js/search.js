// The search box: filter suggestions while typing (an empty word offers the filters; after from:
// or mentions: people, after in: channels, after has: the kinds), shown as an ARIA listbox driven
// from the keyboard; the results pane opens when htmx fills it and closes with its × or Escape.
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  const form = document.querySelector("form.search-box");
  const input = document.getElementById("search-input");
  const box = document.getElementById("search-suggestions");
  const results = document.getElementById("search-results");
  const labels = document.getElementById("search-labels");
  if (!form || !input || !box || !results || !labels) return;

  const FILTERS = ["from", "mentions", "in", "has", "pinned", "before", "after", "during"];
  const HAS = ["link", "file", "image", "video", "audio", "embed"];
  let items = [];
  let active = 0;
  let asked = 0;
  let timer = null;

  const scope = () => new FormData(form).get("scope") || form.dataset.scope;
  /** The word the caret is in: [start, end, text]. */
  const currentWord = () => {
    const caret = input.selectionStart ?? input.value.length;
    const before = input.value.slice(0, caret);
    const start = before.search(/\S*$/);
    const rest = input.value.slice(caret).search(/\s|$/);
    return { start, end: caret + rest, text: input.value.slice(start, caret + rest) };
  };

  const close = () => {
    box.hidden = true;
    box.replaceChildren();
    items = [];
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const show = () => {
    box.replaceChildren(
      ...items.map((item, i) => {
        const li = document.createElement("li");
        li.id = `search-option-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.dataset.index = String(i);
        li.textContent = item.label;
        return li;
      }),
    );
    box.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    if (items.length) input.setAttribute("aria-activedescendant", `search-option-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };

  const pick = (item) => {
    if (!item) return;
    const w = currentWord();
    const text = item.insert;
    // A filter name waits for its value; a finished filter gets a space after it.
    const tail = text.endsWith(":") ? "" : " ";
    input.value = `${input.value.slice(0, w.start)}${text}${tail}${input.value.slice(w.end).replace(/^\s+/, "")}`;
    const caret = w.start + text.length + tail.length;
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
    if (text.endsWith(":")) suggest();
  };

  async function suggest() {
    const w = currentWord();
    const m = /^([a-z]+):(.*)$/i.exec(w.text);
    const mine = ++asked;
    if (!m) {
      const typed = w.text.toLowerCase();
      items = typed.length === 0 || !FILTERS.some((f) => f.startsWith(typed)) ? (typed.length === 0 ? FILTERS : []) : FILTERS.filter((f) => f.startsWith(typed));
      items = items.map((f) => ({ insert: `${f}:`, label: labels.dataset[f] || `${f}:` }));
    } else {
      const key = m[1].toLowerCase();
      const value = m[2];
      if (key === "has") items = HAS.filter((h) => h.startsWith(value.toLowerCase())).map((h) => ({ insert: `has:${h}`, label: `has:${h}` }));
      else if (key === "pinned") items = ["true", "false"].filter((v) => v.startsWith(value.toLowerCase())).map((v) => ({ insert: `pinned:${v}`, label: `pinned:${v}` }));
      else if (key === "from" || key === "mentions" || key === "in") {
        const kind = key === "in" ? "channels" : "people";
        const url = `/search/suggest?${new URLSearchParams({ scope: scope(), kind, prefix: value })}`;
        let list = [];
        try {
          const res = await fetch(url, { headers: { Accept: "application/json" } });
          if (res.ok) list = await res.json();
        } catch {
          list = [];
        }
        if (mine !== asked) return;
        items = list.map((s) => ({ insert: `${key}:${s.value}`, label: s.label }));
      } else items = [];
    }
    active = 0;
    show();
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("focus", () => {
    if (!input.value) suggest();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("keydown", (e) => {
    if (box.hidden || items.length === 0) {
      if (e.key === "Escape" && !results.hidden) closeResults();
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      show();
    } else if (e.key === "Tab" || (e.key === "Enter" && !e.shiftKey)) {
      e.preventDefault();
      pick(items[active]);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
  // mousedown, not click: the input keeps focus (blur would close the list first).
  box.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li[data-index]");
    if (!li) return;
    e.preventDefault();
    pick(items[Number(li.dataset.index)]);
  });

  const closeResults = () => {
    results.replaceChildren();
    results.classList.remove("open");
  };
  // htmx filled the pane: show it. An empty query does not open it.
  const observer = new MutationObserver(() => results.classList.toggle("open", results.childElementCount > 0));
  observer.observe(results, { childList: true });
  results.addEventListener("click", (e) => {
    if (e.target.closest("[data-search-close]")) {
      closeResults();
      input.focus();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && results.classList.contains("open") && results.contains(document.activeElement)) {
      closeResults();
      input.focus();
    }
  }, { signal });
});
