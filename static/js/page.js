// In-page navigation, for what must outlive a page (a voice call: static/js/voice.js).
// Every page script registers its setup with pokynanoPage.init(fn): fn(signal) runs at once (the
// page is parsed: scripts are deferred) and again each time a page is swapped in place; signal
// aborts when that page goes away, so listeners on window/document and timers die with it.
// While something is kept (pokynanoPage.keep(el): the call's dock), same-origin links to app
// pages are followed in place: fetch the page, swap <body> with htmx (outerSync, pushing the URL),
// keep the kept elements (hx-preserve placeholders), then run the new page's scripts. Back and
// forward go through htmx's own history restore, which swaps <body> the same way. Without
// anything kept, links navigate as usual (but for a voice channel's join link, see below).
// Loaded first on every page (views/layouts/document.tsx).
(() => {
  if (window.pokynanoPage) return;
  const path = (src) => new URL(src, location.href).pathname;
  const inits = new Map(); // script path -> setup
  const loaded = new Set([...document.querySelectorAll("script[src]")].map((s) => path(s.src)));
  const kept = new Set();
  let controller = new AbortController();
  let pending = null; // the scripts of the page being swapped in

  const run = (fn) => {
    try {
      fn(controller.signal);
    } catch (err) {
      console.error(err);
    }
  };

  const load = (src) =>
    new Promise((resolve) => {
      const s = document.createElement("script");
      s.src = src;
      s.async = false;
      s.onload = s.onerror = () => resolve();
      loaded.add(path(src));
      document.head.append(s);
    });

  // A page of this app (rendered HTML with the shell), not a file, an API or a form action, and
  // one the server renders the same for htmx's history restore (it sends HX-Request: /search does
  // not).
  const PAGES = /^\/(?:$|channels\/|settings(?:\/|$)|guilds\/)/;
  const isPage = (url) => url.origin === location.origin && PAGES.test(url.pathname);

  let latest = 0;
  async function go(href) {
    const url = new URL(href, location.href);
    const mine = ++latest;
    let res;
    try {
      res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      location.href = url.href;
      return;
    }
    const final = new URL(res.url || url.href);
    if (!(res.headers.get("content-type") ?? "").includes("text/html") || !isPage(final)) {
      location.href = url.href;
      return;
    }
    const text = await res.text();
    if (mine !== latest) return; // clicked on meanwhile
    await window.htmx.swap({ text, target: document.body, swap: "outerSync", sourceElement: document.body, push: final.pathname + final.search + url.hash });
    if (!url.hash) window.scrollTo(0, 0);
  }

  // A whole-body swap (ours or htmx's history restore): the old page's listeners go, the kept
  // elements stay (moved out and back by htmx, state intact), and the scripts are noted to run.
  document.addEventListener("htmx:before:swap", (e) => {
    const task = e.detail?.tasks?.find((t) => t.target === document.body && t.fragment);
    if (!task) return;
    const body = task.fragment.querySelector("body") ?? task.fragment;
    const head = /<head[\s>][\s\S]*?<\/head>/i.exec(e.detail.ctx?.text ?? "")?.[0] ?? "";
    const headDoc = new DOMParser().parseFromString(`<html>${head}</html>`, "text/html");
    const scripts = [...headDoc.querySelectorAll("script[src]"), ...body.querySelectorAll("script[src]")].map((s) => s.getAttribute("src"));
    // htmx would run body scripts itself on insertion: they run below, in order, once.
    for (const s of body.querySelectorAll("script")) s.remove();
    for (const el of kept) {
      if (!el.isConnected || !el.id || body.querySelector(`#${CSS.escape(el.id)}`)) continue;
      const slot = document.createElement("div");
      slot.id = el.id;
      slot.setAttribute("hx-preserve", "");
      body.append(slot);
    }
    for (const link of headDoc.querySelectorAll('link[rel="stylesheet"]')) {
      const href = link.getAttribute("href");
      if (href && ![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => path(l.href) === path(href))) {
        const copy = document.createElement("link");
        copy.rel = "stylesheet";
        copy.href = href;
        document.head.append(copy);
      }
    }
    document.dispatchEvent(new CustomEvent("pokynano:page-leave"));
    controller.abort();
    controller = new AbortController();
    window.pokynanoComposer = { hooks: [] };
    pending = [...new Set(scripts)];
  });

  // Finally (not after): a swap that failed half-way still leaves a page whose scripts must run.
  document.addEventListener("htmx:finally:swap", async () => {
    if (!pending) return;
    const scripts = pending;
    pending = null;
    for (const src of scripts) {
      const fn = inits.get(path(src));
      if (fn) run(fn);
      else if (!loaded.has(path(src))) await load(src);
    }
    document.dispatchEvent(new CustomEvent("pokynano:page"));
  });

  // After the page's own scripts' listeners: a link they handle (defaultPrevented) is theirs.
  // Joining a call (?join) is followed in place too: the page it was joined from then stays in
  // this document's history, and Back to it keeps the call.
  window.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (!isPage(url) || !(kept.size || url.searchParams.has("join"))) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    e.preventDefault();
    go(url.href).catch(() => (location.href = url.href));
  });

  window.pokynanoPage = {
    init(fn) {
      const src = document.currentScript?.src;
      if (src) inits.set(path(src), fn);
      run(fn);
    },
    keep(el) {
      kept.add(el);
    },
    release(el) {
      kept.delete(el);
    },
    /** Where a script would send the browser: in place while something is kept. */
    navigate(href) {
      const url = new URL(href, location.href);
      if (kept.size && isPage(url)) go(url.href).catch(() => (location.href = url.href));
      else location.href = url.href;
    },
  };
})();
