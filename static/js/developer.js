// Developer page: ask before a form that cannot be undone (resetting a bot token), and select a
// shown token or invite link on focus so it is easy to copy.
pokynanoPage.init(function (signal) {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  }, { signal: signal });
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.readOnly) input.select();
  }, { signal: signal });
});
