// Notifications in an open tab: the server appends one small element per notification to
// #notify-inbox on this user's socket (src/notifications/fragment.ts). When the tab is in the
// background it becomes a desktop notification; a sound plays unless the user turned it off;
// the element is then removed. Also here: the unread mention count in the tab title and a
// badge on the favicon, kept in step with the rail's mention badges.
pokynanoPage.init((signal) => {
  const inbox = document.getElementById("notify-inbox");
  if (!inbox) return;
  const sound = new Audio("/static/sounds/notify.wav");
  sound.preload = "none";
  const seen = new Set();

  function show(el) {
    const d = el.dataset;
    el.remove();
    if (seen.has(d.message)) return;
    seen.add(d.message);
    const here = location.pathname.endsWith(`/${d.tag}`);
    // Reading that very channel in the foreground: the message is on screen already.
    if (here && document.visibilityState === "visible" && document.hasFocus()) return;
    if (d.sound === "1") sound.play().catch(() => {});
    if (document.visibilityState === "visible" && document.hasFocus()) return;
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    // The same tag in several tabs makes one notification, not one per tab.
    const n = new Notification(d.title, { body: d.body, tag: `${d.tag}-${d.message}`, icon: "/static/icons/icon-192.png" });
    n.addEventListener("click", () => {
      window.focus();
      if (!here) pokynanoPage.navigate(d.url);
      n.close();
    });
  }
  new MutationObserver(() => inbox.querySelectorAll(".notify-event").forEach(show)).observe(inbox, { childList: true });
  inbox.querySelectorAll(".notify-event").forEach(show);

  // Tab title "(3) …" and the favicon badge: the sum of the rail's mention badges.
  const baseTitle = document.title.replace(/^\(\d+\+?\) /, "");
  const icon = document.querySelector("link[rel=icon]");
  const plainIcon = icon?.getAttribute("href");
  function badge() {
    let count = 0;
    for (const b of document.querySelectorAll(".rail-badge")) count += Number.parseInt(b.textContent, 10) || 0;
    const title = count > 0 ? `(${count > 99 ? "99+" : count}) ${baseTitle}` : baseTitle;
    if (document.title !== title) document.title = title;
    if (icon) {
      const href = count > 0 ? "/static/icons/favicon-unread.png" : plainIcon;
      if (icon.getAttribute("href") !== href) {
        icon.setAttribute("href", href);
        icon.setAttribute("type", count > 0 ? "image/png" : "image/svg+xml");
      }
    }
    document.documentElement.dataset.mentions = String(count);
  }
  const rail = document.querySelector(".server-rail") ?? document.body;
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    // A timer, not requestAnimationFrame: background tabs (where the title matters) get no frames.
    setTimeout(() => {
      queued = false;
      badge();
    }, 50);
  }).observe(rail, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["hidden"] });
  badge();
});
