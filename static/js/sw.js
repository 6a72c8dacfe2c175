// The service worker. The server serves it at /sw.js with two constants prepended (see
// src/pwa/routes.ts): VERSION, which changes whenever a static file changes (so the browser
// installs the new worker), and PRECACHE, the offline page and the versioned files it needs.
//   - static files (/static/...?v=hash): cache first, kept on first use; they never change
//     under the same URL;
//   - page loads: always the network (pages are live and per person); when it cannot be
//     reached, the cached offline screen, whose button tries again;
//   - everything else (API, sockets, uploads): untouched.
/* global VERSION, PRECACHE */
const CACHE = `pokynano-${VERSION}`;
const OFFLINE = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("pokynano-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE, { cacheName: CACHE }).then((r) => r ?? Response.error())));
    return;
  }
  // Icons are left to the browser's own cache: the favicon loads late and at low priority, and
  // through the worker a quick navigation would abort it (the offline screen needs none).
  if (url.pathname.startsWith("/static/") && !url.pathname.startsWith("/static/icons/") && url.searchParams.has("v")) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then(
          (hit) =>
            hit ??
            fetch(request).then((res) => {
              if (res.ok) {
                cache.put(request, res.clone());
                // An older version of the same file is never asked for again.
                cache.keys().then((keys) => keys.filter((k) => new URL(k.url).pathname === url.pathname && k.url !== request.url).forEach((k) => cache.delete(k)));
              }
              return res;
            }),
        ),
      ),
    );
  }
});

// Web Push: mentions and DMs while no tab is open (src/notifications/push.ts sends the payload).
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: "Pokynano", body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Pokynano", {
      body: data.body || "",
      tag: data.tag,
      icon: "/static/icons/icon-192.png",
      data: { url: data.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((c) => c.url === target) ?? tabs[0];
      if (tab) return tab.focus().then((t) => (t && t.url !== target ? t.navigate(target) : t));
      return self.clients.openWindow(target);
    }),
  );
});
