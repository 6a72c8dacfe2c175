// Channel settings → Webhooks: the copy button next to a URL shown once, and a confirmation before
// a new URL or a deletion (both stop the current URL at once).
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    source.select();
    try {
      await navigator.clipboard.writeText(source.value);
    } catch {
      document.execCommand?.("copy"); // older browsers, or a page served without HTTPS
    }
    const label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(() => (button.textContent = label), 2000);
  }, { signal });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, { signal });
});
