// Drag-and-drop reordering of channels in the sidebar, for members who may manage channels.
// A list (ul[data-reorder]) holds one category's channels; dropping a channel into a list posts
// that list's new order and category. Keyboard users have the move buttons in channel settings.
let dragged = null;

for (const item of document.querySelectorAll("li[draggable='true'][data-channel-id]")) {
  item.addEventListener("dragstart", (event) => {
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

for (const list of document.querySelectorAll("ul[data-reorder]")) {
  list.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const after = [...list.querySelectorAll("li[data-channel-id]:not(.dragging)")].find((li) => {
      const box = li.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    if (after) list.insertBefore(dragged, after);
    else list.appendChild(dragged);
  });
  list.addEventListener("drop", async (event) => {
    if (!dragged) return;
    event.preventDefault();
    const ids = [...list.querySelectorAll("li[data-channel-id]")].map((li) => li.dataset.channelId);
    const body = new URLSearchParams({ ids: ids.join(","), parent_id: list.dataset.parentId || "" });
    const res = await fetch(list.dataset.reorder, { method: "POST", body, credentials: "same-origin" });
    if (!res.ok) location.reload();
  });
}
