// In-page navigation, for what must outlive a page (a voice call: static/js/voice.js).
// Every page script registers its setup with pokynanoPage.init(fn): fn(signal) runs at once (the
// page is parsed: scripts are deferred) and again each time a page is swapped in place; signal
// aborts when that page goes away, so listeners on window/document and timers die with it.
// While something is kept (pokynanoPage.keep(el): the call's dock), same-origin links to app
// pages are followed in place: fetch the page, swap <body> with htmx (outerSync, pushing the URL),
// keep the kept elements (hx-preserve placeholders), then run the new page's scripts. Back and
// forward go through htmx's own history restore, which swaps <body> the same way. Without
// anything kept, links navigate as usual (but for a voice channel's join link, see below).
// Forms too, while something is kept: a GET form to an app page is followed like a link; a POST is
// sent by fetch and its answer (the redirect followed, or the page re-rendered with an error)
// swapped in the same way, so saving a setting, an admin action or accepting an invite keeps it.
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

  // A page of this app (rendered HTML), not a file, an API, a stream or a fragment, that the
  // server renders the same for page.js's fetch and for htmx's history restore (which sends
  // HX-Request: /search answers its results fragment only to the search box's own requests).
  const PAGES = /^\/(?:$|channels\/|settings(?:\/|$)|guilds\/|search$|admin(?:\/|$)|invite\/|dm\/new$)/;
  // Left to the browser (a full load, which ends the call): downloads
  // (/settings/export, attachments, /api/... backups and exports), the admin console's JSON and
  // event stream, stylesheets and member cards under /guilds, and every path not listed above:
  // /login, /register, /reset/..., /setup, /oauth2/authorize (the bot authorization flow), /offline.
  const NOT_PAGES = /^\/(?:settings\/export$|admin\/(?:overview\.json|jobs\/events)$|guilds\/\d+\/(?:roles\.css|members\/))/;
  const isPage = (url) => url.origin === location.origin && PAGES.test(url.pathname) && !NOT_PAGES.test(url.pathname);
  // Form actions never sent in place (the browser posts them, even during a call): signing in or
  // out, first setup, password reset, the OAuth-like bot authorization (it may leave for another
  // site), deleting one's account (its session ends with it), and files to download.
  const FULL_POSTS = /^\/(?:login|logout|register|setup|reset\/|oauth2\/|api\/|settings\/(?:delete|export)$)/;

  const isHtml = (res) => (res.headers.get("content-type") ?? "").includes("text/html");
  // As the browser does, a navigation to the address already shown replaces its entry.
  const entry = (where) => (where === location.pathname + location.search + location.hash ? { replace: where } : { push: where });
  const show = async (text, history) => {
    await window.htmx.swap({ text, target: document.body, swap: "outerSync", sourceElement: document.body, ...history });
  };

  let latest = 0;
  async function go(href, replace = false) {
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
    if (!isHtml(res) || !isPage(final)) {
      location.href = url.href;
      return;
    }
    const text = await res.text();
    if (mine !== latest) return; // clicked on meanwhile
    const where = final.pathname + final.search + url.hash;
    await show(text, replace ? { replace: where } : entry(where));
    if (!url.hash) window.scrollTo(0, 0);
  }

  // A POST form's answer in place. A redirect's page is pushed like a followed link; a page
  // rendered for the POST itself (a form with its error, a token shown once) replaces what is
  // shown without a history entry, since its URL may have no GET (Back then shows the form).
  const native = new WeakSet(); // forms handed back to the browser
  async function post(form, submitter, url, body) {
    const mine = ++latest;
    let res;
    try {
      res = await fetch(url, { method: "POST", body, credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      native.add(form);
      form.requestSubmit(submitter?.form === form ? submitter : null);
      return;
    }
    const final = new URL(res.url || url.href);
    if (!isHtml(res)) {
      // Never sent twice: a redirect elsewhere is followed, anything else shows the page again.
      if (res.redirected) location.href = final.href;
      else if (mine === latest) go(location.href, true).catch(() => location.reload());
      return;
    }
    const text = await res.text();
    if (mine !== latest) return;
    await show(text, res.redirected ? entry(final.pathname + final.search) : {});
    window.scrollTo(0, 0);
    restyle();
  }

  // The stylesheets a form may have just changed (appearance, roles, the admin's custom CSS) keep
  // their address from page to page: load them again, the old one going once the new one applies.
  function restyle() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (url.origin !== location.origin || !["/me.css", "/instance.css"].includes(url.pathname)) continue;
      url.searchParams.set("v", String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = () => link.remove();
      fresh.onerror = () => fresh.remove();
      link.after(fresh);
    }
  }

  // A whole-body swap (ours or htmx's history restore): the old page's listeners go, the kept
  // elements stay (moved out and back by htmx, state intact), and the scripts are noted to run.
  document.addEventListener("htmx:before:swap", (e) => {
    const task = e.detail?.tasks?.find((t) => t.target === document.body && t.fragment);
    if (!task) return;
    const body = task.fragment.querySelector("body") ?? task.fragment;
    const text = e.detail.ctx?.text ?? "";
    const head = /<head[\s>][\s\S]*?<\/head>/i.exec(text)?.[0] ?? "";
    const html = /<html[\s>][^>]*>/i.exec(text)?.[0] ?? "<html>";
    const headDoc = new DOMParser().parseFromString(`${html}${head}</html>`, "text/html");
    // The new page's language and theme (a language or theme just saved, the setup's locale).
    for (const name of ["lang", "data-theme"]) {
      const value = headDoc.documentElement.getAttribute(name);
      if (value) document.documentElement.setAttribute(name, value);
    }
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
    if (!a || a.hasAttribute("download")) return;
    // A link in a message opens a new tab (markdown's target=_blank), but one to a page of this
    // app (an invite to another server) stays in the tab of the call, as the app's own links do.
    if (a.target && a.target !== "_self" && !(kept.size && a.relList.contains("ugc"))) return;
    const url = new URL(a.href, location.href);
    if (!isPage(url) || !(kept.size || url.searchParams.has("join"))) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    e.preventDefault();
    go(url.href).catch(() => (location.href = url.href));
  });

  // Submits the page's scripts and htmx left alone (hx- forms are htmx's, defaultPrevented).
  window.addEventListener("submit", (e) => {
    const form = e.target;
    if (e.defaultPrevented || !kept.size || !(form instanceof HTMLFormElement) || native.delete(form)) return;
    const by = e.submitter;
    const attr = (name, formName) => (by?.hasAttribute(formName) ? by.getAttribute(formName) : form.getAttribute(name));
    if ((attr("target", "formtarget") || "_self") !== "_self") return;
    const method = (attr("method", "formmethod") || "get").toLowerCase();
    const url = new URL(attr("action", "formaction") || location.href, location.href);
    if (url.origin !== location.origin || FULL_POSTS.test(url.pathname)) return;
    const data = new FormData(form, by ?? undefined);
    if (method === "get") {
      if ([...data.values()].some((v) => typeof v !== "string")) return;
      url.search = new URLSearchParams(data).toString();
      url.hash = "";
      if (!isPage(url)) return;
      e.preventDefault();
      go(url.href).catch(() => (location.href = url.href));
    } else if (method === "post") {
      e.preventDefault();
      const multipart = (attr("enctype", "formenctype") || "").toLowerCase() === "multipart/form-data";
      const body = multipart ? data : new URLSearchParams([...data].filter(([, v]) => typeof v === "string"));
      // Sent already: a swap that failed shows the page again rather than posting twice.
      post(form, by, url, body).catch(() => go(location.href, true));
    }
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
    /** Reload the page: in place (same history entry) while something is kept. */
    reload() {
      if (kept.size && isPage(new URL(location.href))) go(location.href, true).catch(() => location.reload());
      else location.reload();
    },
  };
})();
