// The "in call" dock (window.pokynanoCallDock): while this tab is in a call, a small bar with the
// channel's name (a link back to the call), mute, deafen and leave, on every page the tab shows.
// It is kept across in-page navigation (static/js/page.js), so links stay in the tab and the call
// (static/js/voice.js) goes on; on the call's own page the panel stands in for it. Its words are
// the voice panel's, in the page's language. The grid of the call waits in it while elsewhere.
(() => {
  if (window.pokynanoCallDock) return;
  let dock = null;
  let parts = null;

  function make(call) {
    dock = document.createElement("section");
    dock.id = "call-dock";
    dock.className = "call-dock";
    dock.setAttribute("hx-ignore", "");
    const link = document.createElement("a");
    link.className = "call-dock-link";
    const status = document.createElement("span");
    status.className = "call-dock-status muted small";
    status.setAttribute("role", "status");
    const title = document.createElement("div");
    title.className = "call-dock-title";
    title.append(link, status);
    const button = (name, onClick) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.dock = name;
      b.addEventListener("click", onClick);
      return b;
    };
    const mute = button("mute", () => call.toggleMute());
    const deafen = button("deafen", () => call.toggleDeafen());
    const leave = button("leave", () => call.leave());
    leave.className = "danger";
    const actions = document.createElement("div");
    actions.className = "call-dock-actions";
    actions.append(mute, deafen, leave);
    const park = document.createElement("div");
    park.className = "call-park";
    park.hidden = true;
    dock.append(title, actions, park);
    parts = { link, status, mute, deafen, leave, park };
  }

  window.pokynanoCallDock = {
    render(call) {
      if (!call.joined || !call.target) {
        if (dock) {
          window.pokynanoPage?.release(dock);
          dock.hidden = true;
        }
        return;
      }
      if (!dock) make(call);
      if (!dock.isConnected) document.body.append(dock);
      window.pokynanoPage?.keep(dock);
      const t = call.target;
      const L = t.labels;
      dock.setAttribute("aria-label", L.lConnected ?? "");
      parts.link.href = t.href;
      parts.link.textContent = `🔊 ${t.name}`;
      parts.status.textContent = call.status;
      parts.mute.textContent = L.mute;
      parts.deafen.textContent = L.deafen;
      parts.leave.textContent = L.leave;
      parts.mute.setAttribute("aria-pressed", String(call.muted));
      parts.deafen.setAttribute("aria-pressed", String(call.deafened));
      // On the call's own page its panel has the same controls.
      dock.hidden = Boolean(call.attached);
    },
    // Moved, not removed: the media elements in the grid keep playing.
    park(grid) {
      if (!dock || grid.parentElement === parts.park) return;
      grid.removeAttribute("id");
      try {
        parts.park.moveBefore(grid, null);
      } catch {
        parts.park.append(grid);
      }
    },
  };
})();
