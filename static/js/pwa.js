// Installs the service worker (served from /sw.js so that it controls the whole site): it keeps
// the static files for an instant start and shows the offline screen when the server is out of reach.
pokynanoPage.init((signal) => {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  // After the page has loaded: installing fetches a few files, which should not slow the page's own.
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // A browser that refuses (private mode, policy) simply runs without the offline screen.
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true, signal });
});
