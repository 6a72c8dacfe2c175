// The tiles of a call (static/js/voice.js): one per participant in the call's grid, with their
// audio, camera and screen, a caption, their volume (kept per person) and the spotlight. Deafened:
// nothing plays; a priority speaker talking lowers everyone else to a third. Each camera's shown
// size goes to the server, which sends the simulcast layer that fits it (docs/voice.md).
window.pokynanoVoiceTiles ??= (call, store, L, tracks) => {
  const grid = call.grid;
  const tiles = new Map(); // user -> tile element

  // --- the size each other participant's camera is shown at, told to the server ---
  const sent = new Map(); // user -> "WxH" last told
  let viewTimer = null;
  function sizeOf(video) {
    const r = video.getBoundingClientRect();
    if (!video.isConnected || r.width < 1 || r.height < 1) return [0, 0];
    const dpr = window.devicePixelRatio || 1;
    return [Math.round(r.width * dpr), Math.round(r.height * dpr)];
  }
  function sendViews() {
    viewTimer = null;
    const changed = [];
    for (const [user, tile] of tiles) {
      const video = tile.querySelector('video[data-source="camera"]');
      if (!video || user === call.joined?.user) continue;
      const [width, height] = sizeOf(video);
      if (sent.get(user) === `${width}x${height}`) continue;
      sent.set(user, `${width}x${height}`);
      changed.push({ user, source: "camera", width, height });
    }
    if (changed.length) call.send({ v: "view", tiles: changed });
  }
  // Resizes come in bursts (a window drag, a layout change): one frame once they settle.
  const viewsChanged = () => {
    clearTimeout(viewTimer);
    viewTimer = setTimeout(sendViews, 250);
  };
  const resized = new ResizeObserver(viewsChanged);

  const fill = (text, vars) => (text ?? "").replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  function tileOf(user) {
    let tile = tiles.get(user);
    if (tile) return tile;
    tile = document.createElement("figure");
    tile.className = "voice-tile";
    tile.dataset.userId = user;
    const name = document.createElement("figcaption");
    const volume = document.createElement("input");
    Object.assign(volume, { type: "range", min: "0", max: "1", step: "0.05", value: store.get(`volume.${user}`, "1"), className: "voice-volume" });
    volume.addEventListener("input", () => {
      store.set(`volume.${user}`, volume.value);
      applyVolumes();
    });
    tile.addEventListener("click", (e) => {
      if (e.target.closest("input,button")) return;
      const on = !tile.classList.contains("spotlight");
      for (const t of tiles.values()) t.classList.remove("spotlight");
      tile.classList.toggle("spotlight", on);
      grid.dataset.spotlight = on ? "1" : "";
      viewsChanged();
    });
    tile.append(name, volume);
    grid.append(tile);
    tiles.set(user, tile);
    return tile;
  }

  function attach(user, source, stream) {
    const tile = tileOf(user);
    const kind = source === "mic" || source === "screenAudio" ? "audio" : "video";
    let el = tile.querySelector(`[data-source="${source}"]`);
    if (!el) {
      el = document.createElement(kind);
      el.dataset.source = source;
      el.autoplay = true;
      el.playsInline = true;
      if (kind === "video") {
        el.muted = true;
        const full = document.createElement("button");
        full.type = "button";
        full.className = "voice-fullscreen";
        full.textContent = "⛶";
        full.setAttribute("aria-label", L().lFullscreen ?? "");
        full.addEventListener("click", () => el.requestFullscreen?.());
        tile.append(full);
      }
      tile.prepend(el);
      // Also fires when the tile is hidden (size 0: the server then sends none of it).
      if (source === "camera" && user !== call.joined?.user) resized.observe(el);
    }
    el.srcObject = stream;
    if (kind === "audio" && store.get("output", "") && el.setSinkId) el.setSinkId(store.get("output", "")).catch(() => {});
    applyVolumes();
  }

  function prune(tracks) {
    const live = new Set([...tracks.values()].map((t) => `${t.user}/${t.source}`));
    for (const [user, tile] of tiles) {
      for (const el of tile.querySelectorAll("[data-source]")) {
        if (live.has(`${user}/${el.dataset.source}`) || (user === call.joined?.user && call.local[el.dataset.source])) continue;
        resized.unobserve(el);
        el.remove();
      }
      if (!tile.querySelector("[data-source]") && !call.roster.some((m) => m.user === user)) {
        tile.remove();
        tiles.delete(user);
      }
    }
  }

  function renderRoster(members) {
    call.roster = members;
    for (const m of members) {
      if (m.user === call.joined?.user) continue;
      const tile = tileOf(m.user);
      tile.querySelector("figcaption").textContent = m.name;
      tile.querySelector(".voice-volume").setAttribute("aria-label", fill(L().lVolume, { name: m.name }));
      tile.classList.toggle("speaking", m.speaking);
      tile.classList.toggle("muted", m.muted);
    }
    prune(tracks());
    applyVolumes();
    call.changed();
  }

  // Deafened: nothing plays. A priority speaker talking lowers everyone else to a third.
  function applyVolumes() {
    const priority = call.roster.some((m) => m.priority && m.speaking && m.user !== call.joined?.user);
    for (const [user, tile] of tiles) {
      const m = call.roster.find((r) => r.user === user);
      const base = Number(store.get(`volume.${user}`, "1"));
      const duck = priority && !(m && m.priority) ? 0.3 : 1;
      for (const a of tile.querySelectorAll("audio")) {
        a.muted = call.deafened;
        a.volume = Math.max(0, Math.min(1, base * duck));
      }
    }
  }
  function setOutput(id) {
    store.set("output", id);
    for (const a of grid.querySelectorAll("audio")) a.setSinkId?.(id).catch(() => {});
  }
  function clear() {
    for (const tile of tiles.values()) tile.remove();
    tiles.clear();
    resized.disconnect();
    sent.clear();
  }
  return { tileOf, attach, prune, renderRoster, applyVolumes, setOutput, clear };
};
