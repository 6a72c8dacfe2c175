// Drag-and-drop reordering in the sidebar, for members who may manage channels. A channel list
// (ul[data-accept=channel]) holds one category's channels; the category list holds categories.
// Dropping posts the new order of that list and the category it belongs to. Keyboard users have
// the move buttons in a channel's settings.
pokynanoPage.init(() => {
let dragged = null;

for (const item of document.querySelectorAll("li[draggable='true'][data-channel-id]")) {
  item.addEventListener("dragstart", (event) => {
    event.stopPropagation();
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.channelId);
  });
  item.addEventListener("dragend", () => {
    item.classList.remove("dragging");
    dragged = null;
  });
}

const accepts = (list) => dragged && dragged.dataset.kind === list.dataset.accept;

for (const list of document.querySelectorAll("ul[data-reorder]")) {
  list.addEventListener("dragover", (event) => {
    if (!accepts(list)) return;
    event.preventDefault();
    event.stopPropagation();
    const items = [...list.children].filter((li) => li.dataset.channelId && li !== dragged);
    const after = items.find((li) => {
      const box = li.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    if (after) list.insertBefore(dragged, after);
    else list.appendChild(dragged);
  });
  list.addEventListener("drop", async (event) => {
    if (!accepts(list)) return;
    event.preventDefault();
    event.stopPropagation();
    const ids = [...list.children].map((li) => li.dataset.channelId).filter(Boolean);
    const body = new URLSearchParams({ ids: ids.join(","), parent_id: list.dataset.parentId || "" });
    const res = await fetch(list.dataset.reorder, { method: "POST", body, credentials: "same-origin" });
    if (!res.ok) pokynanoPage.reload();
  });
}
});
