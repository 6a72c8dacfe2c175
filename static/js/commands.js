// Slash commands in the composer: typing "/" offers the channel's commands (built-in ones and the
// applications' ones, from GET /channels/{id}/commands); after a command's name it offers its
// options ("name:"), and after "name:" the option's choices. Sending "/name …" runs the command
// (POST /channels/{id}/commands) instead of posting the text, through the composer's hook.
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  const composer = document.querySelector("form[data-composer]");
  const field = composer?.querySelector("textarea");
  const list = document.getElementById("messages");
  if (!composer || !field || !list) return;

  const base = composer.getAttribute("action").replace(/\/messages$/, "/commands");
  const box = document.createElement("ul");
  box.id = "command-suggestions";
  box.className = "mention-suggestions command-suggestions";
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", composer.dataset.commandsLabel || "Commands");
  box.hidden = true;
  field.before(box);

  let commands = null; // [{name, description, app, options: [{name, required, type, choices?}]}]
  let loading = null;
  let items = [];
  let active = 0;
  let navigated = false; // Enter picks a suggestion only once it is clearly wanted (see keydown)

  const load = () => {
    loading ??= fetch(base, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? res.json() : []))
      .catch(() => [])
      .then((found) => (commands = found));
    return loading;
  };
  const find = (name) => commands?.find((c) => c.name === name.toLowerCase());

  const close = () => {
    box.hidden = true;
    box.replaceChildren();
    items = [];
    field.removeAttribute("aria-activedescendant");
    field.setAttribute("aria-controls", "mention-suggestions");
  };

  const show = () => {
    box.replaceChildren(
      ...items.map((item, i) => {
        const li = document.createElement("li");
        li.id = `command-option-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.dataset.index = String(i);
        const label = document.createElement("strong");
        label.textContent = item.label;
        li.append(label);
        if (item.detail) {
          const detail = document.createElement("span");
          detail.className = "muted small";
          detail.textContent = ` ${item.detail}`;
          li.append(detail);
        }
        return li;
      }),
    );
    box.hidden = items.length === 0;
    if (items.length) {
      field.setAttribute("aria-controls", box.id);
      field.setAttribute("aria-activedescendant", `command-option-${active}`);
    }
  };

  /** What to offer for the text before the caret (null: nothing). */
  const suggest = (before) => {
    const head = /^\/([\w-]*)$/.exec(before);
    if (head) {
      const typed = head[1].toLowerCase();
      return commands
        .filter((c) => c.name.startsWith(typed))
        .slice(0, 25)
        .map((c) => ({ label: `/${c.name}`, detail: c.app ? `${c.description} · ${c.app}` : c.description, insert: `/${c.name} `, from: 0, eager: true }));
    }
    const m = /^\/([\w-]+)\s+([\s\S]*)$/.exec(before);
    const command = m && find(m[1]);
    if (!command || command.options.length === 0) return null;
    const rest = m[2];
    const restStart = before.length - rest.length;
    // Right after "option:" with choices: the choices.
    const valueOf = /(?:^|\s)([\w-]+):(\S*)$/.exec(rest);
    const option = valueOf && command.options.find((o) => o.name === valueOf[1].toLowerCase());
    if (option?.choices?.length) {
      const typed = valueOf[2].toLowerCase();
      const from = before.length - valueOf[2].length;
      return option.choices.filter((ch) => ch.toLowerCase().startsWith(typed)).map((ch) => ({ label: ch, detail: option.name, insert: `${ch} `, from, eager: true }));
    }
    if (valueOf) return null; // typing a value
    // A word being typed (or nothing yet): the options not given yet, required first.
    const word = /(?:^|\s)([\w-]*)$/.exec(rest);
    const typed = (word?.[1] ?? "").toLowerCase();
    const given = new Set([...rest.matchAll(/(?:^|\s)([\w-]+):/g)].map((g) => g[1].toLowerCase()));
    return command.options
      .filter((o) => !given.has(o.name) && o.name.startsWith(typed))
      .sort((a, b) => Number(b.required) - Number(a.required))
      .map((o) => ({ label: `${o.name}:`, detail: o.required ? composer.dataset.commandsRequired || "required" : "", insert: `${o.name}:`, from: restStart + rest.length - typed.length, eager: typed.length > 0 }));
  };

  const refresh = async () => {
    const before = field.value.slice(0, field.selectionStart);
    if (!before.startsWith("/") || before.includes("\n")) return close();
    await load();
    const found = suggest(field.value.slice(0, field.selectionStart));
    if (!found || found.length === 0) return close();
    items = found;
    active = Math.min(active, items.length - 1);
    navigated = false;
    show();
  };

  const pick = (item) => {
    if (!item) return;
    const caret = field.selectionStart;
    field.value = `${field.value.slice(0, item.from)}${item.insert}${field.value.slice(caret)}`;
    const at = item.from + item.insert.length;
    field.setSelectionRange(at, at);
    active = 0;
    field.focus();
    void refresh();
  };

  field.addEventListener("focus", () => void load(), { once: true });
  field.addEventListener("input", () => {
    active = 0;
    void refresh();
  });
  // Capture phase: these keys belong to the list while it is open, not to the composer.
  field.addEventListener(
    "keydown",
    (event) => {
      if (box.hidden || items.length === 0) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        navigated = true;
        show();
      } else if (event.key === "Tab" || (event.key === "Enter" && !event.shiftKey && (navigated || items[active]?.eager))) {
        event.preventDefault();
        pick(items[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    },
    true,
  );
  box.addEventListener("mousedown", (event) => {
    const li = event.target.closest("li[data-index]");
    if (!li) return;
    event.preventDefault(); // keep the focus in the composer
    pick(items[Number(li.dataset.index)]);
  });
  field.addEventListener("blur", () => setTimeout(close, 150));

  window.pokynanoComposer ??= { hooks: [] };
  window.pokynanoComposer.hooks.push({
    /** "/name …" for a known command runs it; anything else (a path, "/unknown") is sent as text. */
    async intercept(content, { input, showError }) {
      const name = /^\/([\w-]+)(?:\s|$)/.exec(content)?.[1];
      if (!name) return false;
      await load();
      if (!find(name)) return false;
      close();
      showError("");
      const res = await fetch(base, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body: new URLSearchParams({ content }) }).catch(() => null);
      if (!res) {
        showError(composer.dataset.commandsOffline || "Network error");
        return true;
      }
      if (!res.ok) {
        const answer = await res.json().catch(() => ({}));
        const fields = answer.errors ? Object.entries(answer.errors).map(([k, v]) => `${k}: ${v}`) : [];
        showError(fields.length ? fields.join(" · ") : answer.message || `HTTP ${res.status}`);
        return true;
      }
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return true;
    },
  });
});
