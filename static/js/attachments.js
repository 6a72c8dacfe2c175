// Attachments in a composer: pick (📎), drag and drop onto the conversation, or paste files.
// Each file is uploaded at once to /channels/{id}/attachments with XMLHttpRequest (fetch cannot
// report upload progress), with a progress bar and a ✕ that aborts it or deletes the staged copy.
// Sending waits for uploads still running, then adds the staged ids (with spoiler and alt text)
// to the composer's form through its hook. At most ten per message.
// Every form holding a [data-attachment-tray] gets this: the channel's composer (its hooks are
// window.pokynanoComposer's, see composer.js) and the thread pane's, which htmx swaps in later
// (its hooks are the form's own pokynanoHooks, see threads.js).
pokynanoPage.init((signal) => {
  // The channel page and the thread pane may both load this file: set up once per page.
  if (window.pokynanoAttachments === signal) return;
  window.pokynanoAttachments = signal;
  window.pokynanoComposer ??= { hooks: [] };

  const setup = (form) => {
    const tray = form.querySelector("[data-attachment-tray]");
    if (!tray || form.dataset.attachmentsReady) return;
    form.dataset.attachmentsReady = "1";
    const hooks = form.matches("[data-composer]") ? window.pokynanoComposer.hooks : (form.pokynanoHooks ??= []);
    const input = form.querySelector("textarea");
    const picker = form.querySelector("[data-attach-input]");
    const label = (name) => tray.dataset[`label${name}`] || "";
    const channelId = tray.dataset.channelId;
    const max = Number(tray.dataset.max || 10);
    /** @type {{file: File, li: HTMLElement, xhr: XMLHttpRequest|null, id: string|null, error: string|null, done: Promise<void>}[]} */
    let items = [];
    let lastError = null;

    const refresh = () => {
      tray.hidden = items.length === 0;
      // A message with files may have no text.
      input.required = items.length === 0;
    };
    const showTrayError = (message) => {
      lastError?.remove();
      lastError = null;
      if (!message) return;
      lastError = document.createElement("li");
      lastError.className = "attachment-tray-error field-error";
      lastError.setAttribute("role", "alert");
      lastError.textContent = message;
      tray.appendChild(lastError);
      tray.hidden = false;
    };

    const remove = (item) => {
      items = items.filter((i) => i !== item);
      item.li.remove();
      if (item.xhr && !item.id) item.xhr.abort();
      else if (item.id) fetch(`/channels/${channelId}/attachments/${item.id}`, { method: "DELETE", credentials: "same-origin" }).catch(() => {});
      refresh();
    };

    const upload = (item, progress, status) =>
      new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        item.xhr = xhr;
        xhr.open("POST", `/channels/${channelId}/attachments?filename=${encodeURIComponent(item.file.name || "pasted")}`);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.addEventListener("progress", (e) => {
          if (e.lengthComputable) progress.value = e.loaded / e.total;
        });
        const fail = (message) => {
          item.error = message;
          item.li.classList.add("failed");
          status.textContent = message;
          resolve();
        };
        xhr.addEventListener("load", () => {
          let answer = {};
          try {
            answer = JSON.parse(xhr.responseText);
          } catch {}
          if (xhr.status === 201 && answer.id) {
            item.id = answer.id;
            progress.value = 1;
            item.li.classList.add("uploaded");
            status.textContent = label("Uploaded");
            resolve();
          } else fail(answer.message || `HTTP ${xhr.status}`);
        });
        xhr.addEventListener("error", () => fail(`HTTP ${xhr.status || 0}`));
        xhr.addEventListener("abort", () => resolve());
        xhr.send(item.file);
      });

    const add = (files) => {
      showTrayError("");
      for (const file of files) {
        if (items.length >= max) {
          showTrayError(label("TooMany"));
          break;
        }
        const li = document.createElement("li");
        li.className = "attachment-item";
        const name = document.createElement("span");
        name.className = "attachment-name";
        name.textContent = file.name || "pasted";
        const progress = document.createElement("progress");
        progress.max = 1;
        progress.value = 0;
        progress.setAttribute("aria-label", `${label("Uploading")} ${file.name}`);
        const status = document.createElement("span");
        status.className = "attachment-status muted small";
        status.setAttribute("aria-live", "polite");
        status.textContent = label("Uploading");
        const spoiler = document.createElement("label");
        spoiler.className = "small";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.dataset.spoiler = "";
        spoiler.append(box, ` ${label("Spoiler")}`);
        const cancel = document.createElement("button");
        cancel.type = "button";
        cancel.className = "link-button";
        cancel.textContent = "✕";
        cancel.setAttribute("aria-label", `${label("Remove")} ${file.name}`);
        li.append(name, progress, status, spoiler);
        if (file.type.startsWith("image/")) {
          const alt = document.createElement("input");
          alt.type = "text";
          alt.maxLength = 1024;
          alt.dataset.alt = "";
          alt.placeholder = label("Alt");
          alt.title = label("AltHint");
          alt.setAttribute("aria-label", `${label("Alt")} (${file.name})`);
          li.append(alt);
        }
        li.append(cancel);
        tray.insertBefore(li, lastError);
        const item = { file, li, xhr: null, id: null, error: null, done: Promise.resolve() };
        item.done = upload(item, progress, status);
        cancel.addEventListener("click", () => remove(item));
        items.push(item);
      }
      refresh();
    };

    picker?.addEventListener("change", () => {
      add([...picker.files]);
      picker.value = "";
    });
    input.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      add(files);
    });
    // The thread pane sits inside the channel's conversation: a drop there belongs to the thread.
    const zone = form.closest(".thread-view") ?? form.closest(".conversation") ?? form;
    const nested = zone.matches(".thread-view");
    const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
    zone.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (nested) event.stopPropagation();
      zone.classList.add("drop-active");
    });
    zone.addEventListener("dragleave", (event) => {
      if (event.target === zone || !zone.contains(event.relatedTarget)) zone.classList.remove("drop-active");
    });
    zone.addEventListener("drop", (event) => {
      zone.classList.remove("drop-active");
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (nested) event.stopPropagation();
      add([...event.dataTransfer.files]);
    });

    hooks.push({
      // Wait for uploads still running; a failed one must be removed before sending.
      async intercept(_content, { showError }) {
        if (items.length === 0) return false;
        await Promise.all(items.map((i) => i.done));
        if (items.some((i) => i.error)) {
          showError(label("Failed"));
          return true;
        }
        return false;
      },
      fields() {
        const ready = items.filter((i) => i.id);
        if (ready.length === 0) return [];
        const list = ready.map((i) => ({ id: i.id, spoiler: i.li.querySelector("[data-spoiler]").checked, description: i.li.querySelector("[data-alt]")?.value.trim() || null }));
        return [["attachments", JSON.stringify(list)]];
      },
      sent() {
        for (const i of items) i.li.remove();
        items = [];
        showTrayError("");
        refresh();
      },
    });
  };

  const scan = () => document.querySelectorAll("form").forEach((form) => setup(form));
  scan();
  document.addEventListener("htmx:after:swap", scan, { signal });
});
