// The lightbox: a click on an image attachment opens its preview in a modal <dialog> (the page
// behind is inert, so focus stays inside; Esc closes). Left/Right (or the ‹ › buttons) browse the
// images of the list it was opened from: the conversation, or the channel's media panel. Closing
// gives focus back to the image that opened it. Spoiler covers are revealed on click.
pokynanoPage.init((signal) => {
  const dialog = document.getElementById("lightbox");
  if (!dialog) return;
  const img = dialog.querySelector("img");
  const caption = dialog.querySelector(".lightbox-caption");
  const count = dialog.querySelector(".lightbox-count");
  const original = dialog.querySelector(".lightbox-original");
  let gallery = [];
  let index = 0;
  let opener = null;

  const show = (i) => {
    index = (i + gallery.length) % gallery.length;
    const link = gallery[index];
    const thumb = link.querySelector("img");
    img.src = link.dataset.preview || link.href;
    img.alt = thumb?.alt || "";
    caption.textContent = thumb && thumb.alt !== link.dataset.name ? thumb.alt : link.dataset.name || "";
    count.textContent = gallery.length > 1 ? `${index + 1} / ${gallery.length}` : "";
    original.href = link.href;
    dialog.querySelector("[data-lightbox-prev]").hidden = gallery.length < 2;
    dialog.querySelector("[data-lightbox-next]").hidden = gallery.length < 2;
  };

  document.addEventListener("click", (event) => {
    const reveal = event.target.closest("[data-reveal]");
    if (reveal) {
      reveal.closest(".spoiler")?.classList.add("revealed");
      reveal.remove();
      return;
    }
    const link = event.target.closest("a[data-lightbox]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    const hidden = link.closest(".spoiler:not(.revealed)");
    if (hidden && !hidden.closest(".media-grid")) return;
    event.preventDefault();
    const scope = link.closest("[data-gallery], #messages") ?? document;
    gallery = [...scope.querySelectorAll("a[data-lightbox]")];
    opener = link;
    show(gallery.indexOf(link));
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-lightbox-close]").focus();
  }, { signal });

  dialog.querySelector("[data-lightbox-prev]").addEventListener("click", () => show(index - 1));
  dialog.querySelector("[data-lightbox-next]").addEventListener("click", () => show(index + 1));
  dialog.querySelector("[data-lightbox-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") show(index - 1);
    else if (event.key === "ArrowRight") show(index + 1);
    else return;
    event.preventDefault();
  });
  // A click on the backdrop (outside the picture) closes, as in most viewers.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => {
    img.removeAttribute("src");
    opener?.focus();
    opener = null;
  });
});
