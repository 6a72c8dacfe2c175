// Keyboard shortcuts of the whole client and the connection banner.
//  Alt+Up/Down: previous/next channel in the sidebar; Alt+Shift+Up/Down: the previous/next unread
//  one (wrapping round). Ctrl+/ (Cmd+/): the shortcut list, a native modal <dialog> (focus stays
//  in it and returns where it was when it closes).
//  The banner: while a live socket is down, a status line says so (read out politely); when it is
//  back, history.js re-fetches what was missed and the banner says so briefly, then hides.
pokynanoPage.init((signal) => {
  const dialog = document.getElementById("shortcuts-dialog");
  const openButton = document.getElementById("open-shortcuts");

  // Text channels and conversations; a voice channel's link would join the call.
  const channelLinks = () => [...document.querySelectorAll("#channel-list a.channel-link:not([href*='join=1'])")];
  const isUnread = (a) => Boolean(a.querySelector(".unread-flag.on")) || Boolean(a.querySelector(".mention-badge:not([hidden])")) || Boolean(a.parentElement?.querySelector(".mention-badge:not([hidden])"));

  function step(direction, unreadOnly) {
    const links = channelLinks();
    if (links.length === 0) return;
    const current = links.findIndex((a) => a.getAttribute("aria-current") === "page");
    for (let i = 1; i <= links.length; i++) {
      const next = links[(((current < 0 ? (direction > 0 ? -1 : 0) : current) + direction * i) % links.length + links.length) % links.length];
      if (!unreadOnly || isUnread(next)) {
        pokynanoPage.navigate(next.href);
        return;
      }
    }
  }

  // The message list is a feed (WAI-ARIA): Page Up from the composer focuses the newest message;
  // on a message, Up/Down and Page Up/Down move between messages; Tab then reaches its actions and
  // reactions (shown while focus is inside it); End goes back to the composer.
  function feedKey(event) {
    const feed = document.getElementById("messages");
    if (!feed) return;
    const articles = () => [...feed.querySelectorAll(":scope > article.message[id]")];
    const target = event.target;
    if (target.id === "composer-input" && event.key === "PageUp") {
      const last = articles().at(-1);
      if (!last) return;
      event.preventDefault();
      last.focus();
      return;
    }
    if (!(target instanceof HTMLElement) || !target.matches("#messages > article.message")) return;
    const list = articles();
    const at = list.indexOf(target);
    let next = null;
    if (event.key === "ArrowUp" || event.key === "PageUp") next = list[at - 1];
    else if (event.key === "ArrowDown" || event.key === "PageDown") next = list[at + 1];
    else if (event.key === "End") next = document.getElementById("composer-input");
    else return;
    event.preventDefault();
    next?.focus();
  }

  function showList() {
    if (!dialog || dialog.open) return;
    dialog.showModal();
  }
  openButton?.addEventListener("click", showList);

  // Capture phase: the composer's "Up edits your last message" must not see Alt+Up.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.isComposing || event.defaultPrevented) return;
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
        event.preventDefault();
        step(event.key === "ArrowDown" ? 1 : -1, event.shiftKey);
      } else if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "/" || event.code === "Slash")) {
        event.preventDefault();
        showList();
      } else if (!event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        feedKey(event);
      }
    },
    { capture: true, signal },
  );

  const banner = document.getElementById("connection-banner");
  if (!banner) return;
  let down = 0;
  let hideTimer = 0;
  let everConnected = false;
  document.addEventListener("htmx:ws:after:connection", () => {
    if (down > 0 && everConnected) {
      banner.textContent = banner.dataset.back;
      banner.classList.remove("lost");
      clearTimeout(hideTimer);
      hideTimer = setTimeout(() => (banner.hidden = true), 2500);
    }
    down = 0;
    everConnected = true;
  }, { signal });
  document.addEventListener("htmx:ws:close", () => {
    // A page being left closes its sockets too: say nothing then.
    if (document.visibilityState === "hidden" || leaving) return;
    down++;
    clearTimeout(hideTimer);
    banner.textContent = banner.dataset.lost;
    banner.classList.add("lost");
    banner.hidden = false;
  }, { signal });
  let leaving = false;
  addEventListener("pagehide", () => (leaving = true), { signal });
  addEventListener("beforeunload", () => (leaving = true), { signal });
});
