// The offline screen (shown by the service worker when a page cannot be loaded): "Try again"
// reloads, and so does the browser coming back online.
(() => {
  const retry = document.getElementById("offline-retry");
  if (!retry) return;
  const again = () => location.reload();
  retry.addEventListener("click", again);
  window.addEventListener("online", again);
})();
