// Mention suggestions in the composer: typing "@" offers people, roles and @everyone/@here;
// "#" offers channels. Picking one writes a readable "@Name" into the text and remembers what it
// stands for; on send, composer.js calls expand() to turn those into <@id>, <@&id> and <#id>.
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  const composer = document.querySelector("form[data-composer]");
  const field = composer?.querySelector("textarea");
  const box = document.getElementById("mention-suggestions");

  if (composer && field && box) {
    const chosen = new Map(); // "@Name" -> "<@123>"
    let items = [];
    let active = 0;
    let token = null; // { start, end, sigil }
    let timer = null;
    let asked = 0;

    const close = () => {
      box.hidden = true;
      box.replaceChildren();
      items = [];
      token = null;
      field.removeAttribute("aria-activedescendant");
    };

    const show = () => {
      box.replaceChildren(
        ...items.map((item, i) => {
          const li = document.createElement("li");
          li.id = `mention-option-${i}`;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", String(i === active));
          li.dataset.index = String(i);
          const label = document.createElement("strong");
          label.textContent = `${item.kind === "channel" ? "#" : "@"}${item.label}`;
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
      if (items.length) field.setAttribute("aria-activedescendant", `mention-option-${active}`);
    };

    const pick = (item) => {
      if (!token || !item) return;
      const text = `${item.kind === "channel" ? "#" : "@"}${item.label}`;
      if (item.kind !== "everyone") chosen.set(text, item.syntax);
      field.value = `${field.value.slice(0, token.start)}${text} ${field.value.slice(token.end)}`;
      const caret = token.start + text.length + 1;
      field.setSelectionRange(caret, caret);
      close();
      field.focus();
    };

    field.addEventListener("input", () => {
      if (field.value === "") chosen.clear();
      const before = field.value.slice(0, field.selectionStart);
      const match = /(^|\s)([@#])([^\s@#<>]{0,32})$/.exec(before);
      if (!match) return close();
      token = { start: before.length - match[2].length - match[3].length, end: field.selectionStart, sigil: match[2] };
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const ask = ++asked;
        const url = `${composer.dataset.mentionables}?kind=${token.sigil === "#" ? "channel" : "user"}&q=${encodeURIComponent(match[3])}`;
        const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).catch(() => null);
        if (!res?.ok || ask !== asked || !token) return;
        items = await res.json();
        active = 0;
        show();
      }, 120);
    });

    // Capture phase: these keys belong to the list while it is open, not to the composer.
    field.addEventListener(
      "keydown",
      (event) => {
        if (box.hidden || items.length === 0) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
          show();
        } else if (event.key === "Enter" || event.key === "Tab") {
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

    window.pokynanoMentions = {
      /** The text to send: every picked "@Name" replaced by what it stands for (longest first). */
      expand(text) {
        let out = text;
        for (const [shown, syntax] of [...chosen].sort((a, b) => b[0].length - a[0].length)) out = out.split(shown).join(syntax);
        return out;
      },
    };
  }
});
