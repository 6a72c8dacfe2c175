// The voice client of a voice channel page (#voice-panel): its own socket (/ws?voice) for
// signalling, one RTCPeerConnection answering the server's offers (the server is always the
// offerer: uplink m-lines get our mic/camera/screen, every other m-line is someone else's media),
// and the controls. The call lives in this page: leaving the page leaves the call.
// Protocol: docs/voice.md. Wrapped: classic scripts share one global scope.
(() => {
  const panel = document.getElementById("voice-panel");
  if (!panel) return;
  const $ = (id) => document.getElementById(id);
  const L = panel.dataset;
  const channelId = panel.dataset.channelId;
  const status = $("voice-status");
  const grid = $("voice-grid");
  const buttons = { join: $("voice-join"), leave: $("voice-leave"), mute: $("voice-mute"), deafen: $("voice-deafen"), camera: $("voice-camera"), screen: $("voice-screen"), layout: $("voice-layout") };
  const store = {
    get: (k, d) => localStorage.getItem(`voice.${k}`) ?? d,
    set: (k, v) => localStorage.setItem(`voice.${k}`, v),
  };

  let ws = null;
  let pc = null;
  let joined = null; // the "joined" frame: grants, ice servers, own user id
  let mic = null; // MediaStream of the microphone
  const local = { mic: null, camera: null, screen: null, screenAudio: null }; // MediaStreamTracks we send
  let tracks = new Map(); // mid -> {user, source}
  let uplink = {}; // source -> mid of our uplink m-lines
  const tiles = new Map(); // user -> tile element
  let roster = [];
  let muted = false;
  let deafened = false;
  let pttHeld = false;
  let lastRestart = 0;
  let lastRejoin = 0;

  const say = (text) => (status.textContent = text ?? "");
  const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const send = (frame) => ws && ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame));
  const mode = () => (joined && !joined.grants.vad ? "ptt" : store.get("mode", "vad"));
  const pttKey = () => store.get("pttKey", "Space");

  // --- the microphone, with the browser's processing as chosen ---
  async function openMic() {
    const constraints = {
      echoCancellation: $("voice-ec").checked,
      noiseSuppression: $("voice-ns").checked,
      autoGainControl: true,
      ...(store.get("input", "") ? { deviceId: { exact: store.get("input", "") } } : {}),
    };
    const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints });
    if (mic) for (const t of mic.getTracks()) t.stop();
    mic = stream;
    local.mic = stream.getAudioTracks()[0];
    applyMicState();
    meter(stream);
    await replaceUplink("mic", local.mic);
    await listDevices();
  }

  function applyMicState() {
    if (!local.mic) return;
    local.mic.enabled = !muted && !deafened && (mode() === "vad" || pttHeld);
  }

  let meterTimer = null;
  function meter(stream) {
    clearInterval(meterTimer);
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += x * x;
      $("voice-level").value = Math.min(1, Math.sqrt(sum / data.length) * 4);
    }, 100);
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const [select, kind, key] of [[$("voice-input"), "audioinput", "input"], [$("voice-output"), "audiooutput", "output"]]) {
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => new Option(d.label || `${kind} ${i + 1}`, d.deviceId, false, d.deviceId === store.get(key, ""))));
    }
  }

  // --- signalling ---
  function connect() {
    return new Promise((resolve, reject) => {
      ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?voice`);
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("socket"));
      ws.onclose = () => {
        if (joined) {
          cleanup();
          say(L.lReconnecting);
          setTimeout(() => join().catch(() => {}), 1500);
        }
      };
      ws.onmessage = (e) => onFrame(JSON.parse(e.data)).catch((err) => console.warn("voice", err));
    });
  }

  async function onFrame(f) {
    if (f.v === "joined") {
      joined = f;
      say(L.lConnected);
      if (!f.grants.speak) say(L.lReceiveOnly);
      else if (!f.grants.vad) say(L.lPttOnly);
      showControls(true);
    } else if (f.v === "offer") await onOffer(f);
    else if (f.v === "room") renderRoster(f.members);
    else if (f.v === "left") {
      const wasJoined = joined;
      cleanup();
      showControls(false);
      if (wasJoined && f.reason !== "left") say(fill(L.lLeft, { reason: f.reason }));
      // Dropped by a network problem (not by a person or a permission): come back on our own.
      if (wasJoined && /^(no |connection failed|room failed|SFU thread)/.test(f.reason) && Date.now() - lastRejoin > 10000) {
        lastRejoin = Date.now();
        setTimeout(() => join().catch(() => {}), 1500);
      }
    } else if (f.v === "declined") say(fill(L.lDeclined, { name: f.name }));
    else if (f.v === "move") location.href = `/channels/${panel.dataset.guildId}/${f.channel}?join=1`;
    else if (f.v === "error") say(f.code === "full" ? L.lFull : f.code === "forbidden" ? L.lForbidden : f.code === "unknown_channel" ? L.lUnknown : f.message);
  }

  async function onOffer(f) {
    if (!pc) makePeer();
    tracks = new Map(f.tracks.map((t) => [t.mid, t]));
    uplink = f.uplink;
    await pc.setRemoteDescription({ type: "offer", sdp: f.sdp });
    for (const t of pc.getTransceivers()) {
      const source = Object.keys(f.uplink).find((s) => f.uplink[s] === t.mid);
      if (!source) continue;
      t.direction = local[source] ? "sendonly" : "inactive";
      await t.sender.replaceTrack(local[source]);
      if (source === "camera") capBitrate(t.sender, 600_000);
    }
    await pc.setLocalDescription(await pc.createAnswer());
    send({ v: "answer", sdp: pc.localDescription.sdp });
    pruneTiles();
  }

  // werift cannot forward simulcast layers by viewer size: the camera is capped instead.
  function capBitrate(sender, max) {
    const params = sender.getParameters();
    if (!params.encodings || !params.encodings.length) return;
    params.encodings[0].maxBitrate = max;
    sender.setParameters(params).catch(() => {});
  }

  function makePeer() {
    pc = new RTCPeerConnection({ iceServers: joined?.ice ?? [], bundlePolicy: "max-bundle" });
    pc.ontrack = (e) => {
      const info = tracks.get(e.transceiver.mid);
      if (!info) return;
      const stream = new MediaStream([e.track]);
      attach(info.user, info.source, stream);
    };
    pc.oniceconnectionstatechange = () => {
      const state = pc?.iceConnectionState;
      // A changed network: ask for a fresh offer with new ICE credentials (not too often).
      if ((state === "failed" || state === "disconnected") && Date.now() - lastRestart > 5000) {
        lastRestart = Date.now();
        send({ v: "restart" });
      }
    };
  }

  // A new microphone (device or processing changed) goes on the same m-line: no renegotiation.
  async function replaceUplink(source, track) {
    const t = pc?.getTransceivers().find((x) => x.mid && x.mid === uplink[source]);
    if (t) await t.sender.replaceTrack(track);
  }

  // --- tiles: one per participant, with their audio, camera and screen ---
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
        full.setAttribute("aria-label", L.lFullscreen);
        full.addEventListener("click", () => el.requestFullscreen?.());
        tile.append(full);
      }
      tile.prepend(el);
    }
    el.srcObject = stream;
    if (kind === "audio" && store.get("output", "") && el.setSinkId) el.setSinkId(store.get("output", "")).catch(() => {});
    applyVolumes();
  }

  function pruneTiles() {
    const live = new Set([...tracks.values()].map((t) => `${t.user}/${t.source}`));
    for (const [user, tile] of tiles) {
      for (const el of tile.querySelectorAll("[data-source]")) if (!live.has(`${user}/${el.dataset.source}`)) el.remove();
      if (!tile.querySelector("[data-source]") && !roster.some((m) => m.user === user)) {
        tile.remove();
        tiles.delete(user);
      }
    }
  }

  function renderRoster(members) {
    roster = members;
    for (const m of members) {
      if (m.user === joined?.user) continue;
      const tile = tileOf(m.user);
      tile.querySelector("figcaption").textContent = m.name;
      tile.querySelector(".voice-volume").setAttribute("aria-label", fill(L.lVolume, { name: m.name }));
      tile.classList.toggle("speaking", m.speaking);
      tile.classList.toggle("muted", m.muted);
    }
    pruneTiles();
    applyVolumes();
    panel.classList.toggle("has-members", members.length > 0);
  }

  // Deafened: nothing plays. A priority speaker talking lowers everyone else to a third.
  function applyVolumes() {
    const priority = roster.some((m) => m.priority && m.speaking && m.user !== joined?.user);
    for (const [user, tile] of tiles) {
      const m = roster.find((r) => r.user === user);
      const base = Number(store.get(`volume.${user}`, "1"));
      const duck = priority && !(m && m.priority) ? 0.3 : 1;
      for (const a of tile.querySelectorAll("audio")) {
        a.muted = deafened;
        a.volume = Math.max(0, Math.min(1, base * duck));
      }
    }
  }

  // --- controls ---
  function showControls(on) {
    buttons.join.hidden = on;
    for (const b of [buttons.leave, buttons.mute, buttons.deafen, buttons.camera, buttons.screen, buttons.layout]) if (b) b.hidden = !on;
  }

  async function join() {
    say(L.lConnecting);
    try {
      await openMic();
    } catch (err) {
      // Without a microphone one can still listen.
      say(fill(L.lMedia, { reason: err.message || err.name }));
    }
    if (!ws || ws.readyState !== WebSocket.OPEN) await connect();
    send({ v: "join", channel: channelId });
  }

  function cleanup() {
    joined = null;
    pc?.close();
    pc = null;
    for (const k of ["camera", "screen", "screenAudio"]) {
      local[k]?.stop();
      local[k] = null;
      buttons[k]?.setAttribute("aria-pressed", "false");
    }
    for (const tile of tiles.values()) tile.remove();
    tiles.clear();
    tracks = new Map();
  }

  buttons.join.addEventListener("click", () => join().catch((err) => say(err.message)));
  buttons.leave.addEventListener("click", () => {
    send({ v: "leave" });
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
    local.mic = null;
  });
  buttons.mute.addEventListener("click", () => {
    muted = !muted;
    buttons.mute.setAttribute("aria-pressed", String(muted));
    applyMicState();
    send({ v: "state", selfMute: muted });
  });
  buttons.deafen.addEventListener("click", () => {
    deafened = !deafened;
    buttons.deafen.setAttribute("aria-pressed", String(deafened));
    applyMicState();
    applyVolumes();
    send({ v: "state", selfDeaf: deafened });
  });
  async function toggleVideo(source) {
    const on = !local[source];
    try {
      if (on) {
        // A screen share takes the tab's or system's sound too where the browser offers it.
        const stream = source === "camera" ? await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 24 } }) : await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: true });
        local[source] = stream.getVideoTracks()[0];
        if (source === "screen" && stream.getAudioTracks()[0]) {
          local.screenAudio = stream.getAudioTracks()[0];
          send({ v: "publish", source: "screenAudio", on: true });
        }
        local[source].addEventListener("ended", () => local[source] && toggleVideo(source));
        const preview = tileOf(joined.user);
        preview.querySelector("figcaption").textContent = "";
        attach(joined.user, source, stream);
      } else {
        local[source].stop();
        local[source] = null;
        tiles.get(joined.user)?.querySelector(`[data-source="${source}"]`)?.remove();
        if (source === "screen" && local.screenAudio) {
          local.screenAudio.stop();
          local.screenAudio = null;
          send({ v: "publish", source: "screenAudio", on: false });
        }
      }
      buttons[source].setAttribute("aria-pressed", String(on));
      send({ v: "publish", source, on });
    } catch (err) {
      say(fill(L.lMedia, { reason: err.message || err.name }));
    }
  }
  buttons.camera?.addEventListener("click", () => toggleVideo("camera"));
  buttons.screen?.addEventListener("click", () => toggleVideo("screen"));
  buttons.layout.addEventListener("click", () => {
    const speaker = grid.dataset.layout !== "speaker";
    grid.dataset.layout = speaker ? "speaker" : "grid";
    buttons.layout.setAttribute("aria-pressed", String(speaker));
    buttons.layout.textContent = speaker ? buttons.layout.dataset.grid : buttons.layout.dataset.speaker;
  });

  // --- settings ---
  for (const radio of document.querySelectorAll('input[name="voice-mode"]')) {
    radio.checked = radio.value === store.get("mode", "vad");
    radio.addEventListener("change", () => {
      store.set("mode", radio.value);
      applyMicState();
    });
  }
  const keyButton = $("voice-ptt-key");
  keyButton.textContent = pttKey();
  keyButton.addEventListener("click", () => {
    keyButton.textContent = L.lKeyHint;
    window.addEventListener("keydown", (e) => {
      e.preventDefault();
      store.set("pttKey", e.code);
      keyButton.textContent = e.code;
    }, { once: true, capture: true });
  });
  const typing = (e) => e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
  window.addEventListener("keydown", (e) => {
    if (!joined || mode() !== "ptt" || e.code !== pttKey() || e.repeat || typing(e)) return;
    pttHeld = true;
    applyMicState();
    send({ v: "ptt", on: true });
  });
  window.addEventListener("keyup", (e) => {
    if (!pttHeld || e.code !== pttKey()) return;
    pttHeld = false;
    applyMicState();
    send({ v: "ptt", on: false });
  });
  $("voice-input").addEventListener("change", (e) => {
    store.set("input", e.target.value);
    if (joined) openMic().catch((err) => say(err.message));
  });
  $("voice-output").addEventListener("change", (e) => {
    store.set("output", e.target.value);
    for (const a of grid.querySelectorAll("audio")) a.setSinkId?.(e.target.value).catch(() => {});
  });
  for (const id of ["voice-ns", "voice-ec"]) {
    $(id).checked = store.get(id, "1") === "1";
    $(id).addEventListener("change", () => {
      store.set(id, $(id).checked ? "1" : "0");
      if (joined) openMic().catch((err) => say(err.message));
    });
  }

  // Joining by clicking a voice channel in the sidebar (its link carries ?join=1).
  if (new URLSearchParams(location.search).has("join")) join().catch((err) => say(err.message));
  window.addEventListener("pagehide", () => send({ v: "leave" }));
  // For tests: the live peer connection, and an ICE restart as a network change would cause.
  window.pokynanoVoice = {
    get pc() { return pc; },
    restart() { lastRestart = Date.now(); send({ v: "restart" }); },
  };
})();
