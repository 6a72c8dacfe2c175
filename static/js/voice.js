// The voice call of this tab (window.pokynanoCall): its own socket (/ws?voice) for signalling,
// one RTCPeerConnection answering the server's offers (the server is always the offerer: uplink
// m-lines get our mic/camera/screen, every other m-line is someone else's media), the tiles of the
// participants (with their audio) and the dock. It outlives the page it started on: while in a
// call the dock is kept (static/js/page.js), links are followed in place and the call goes on;
// a voice page's panel (static/js/voice-panel.js) shows and drives it. Closing the tab leaves.
// Protocol: docs/voice.md. Wrapped: classic scripts share one global scope.
(() => {
  if (window.pokynanoCall) return;
  const store = {
    get: (k, d) => localStorage.getItem(`voice.${k}`) ?? d,
    set: (k, v) => localStorage.setItem(`voice.${k}`, v),
  };
  const fill = (text, vars) => (text ?? "").replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const listeners = new Set();

  let ws = null;
  let pc = null;
  let joined = null; // the "joined" frame: grants, ice servers, own user id
  let mic = null; // MediaStream of the microphone
  const local = { mic: null, camera: null, screen: null, screenAudio: null }; // MediaStreamTracks we send
  let tracks = new Map(); // mid -> {user, source}
  let uplink = {}; // source -> mid of our uplink m-lines
  let lastRestart = 0;
  let lastRejoin = 0;
  let pttHeld = false;

  // The grid of tiles: shown in the call's own panel, parked in the dock elsewhere (still playing).
  const grid = document.createElement("div");
  grid.className = "voice-grid";
  grid.dataset.layout = "grid";

  const call = {
    target: null, // {channelId, guildId, name, href, labels}: the call joined (or being joined)
    status: "",
    muted: false,
    deafened: false,
    roster: [],
    grid,
    micVersion: 0,
    get joined() {
      return joined;
    },
    get local() {
      return local;
    },
    get pc() {
      return pc;
    },
    listen(fn, signal) {
      listeners.add(fn);
      signal?.addEventListener("abort", () => listeners.delete(fn));
    },
    changed() {
      for (const fn of listeners) fn();
      window.pokynanoCallDock?.render(call);
    },
  };
  window.pokynanoCall = call;
  // Tiles come from voice-tiles.js (loaded with the panel, before any call starts).
  let tilesApi = null;
  const T = () => (tilesApi ??= window.pokynanoVoiceTiles(call, store, () => L(), () => tracks));
  call.tileOf = (user) => T().tileOf(user);
  call.attach = (user, source, stream) => T().attach(user, source, stream);
  call.setOutput = (id) => T().setOutput(id);
  const L = () => call.target?.labels ?? {};
  const say = (text) => {
    call.status = text ?? "";
    call.changed();
  };
  const send = (frame) => ws && ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame));
  const mode = () => (joined && !joined.grants.vad ? "ptt" : store.get("mode", "vad"));
  call.mode = mode;
  call.store = store;

  // --- the microphone, with the browser's processing as chosen ---
  async function openMic() {
    const constraints = {
      echoCancellation: store.get("voice-ec", "1") === "1",
      noiseSuppression: store.get("voice-ns", "1") === "1",
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
    call.micVersion++;
    call.changed();
  }
  call.reopenMic = () => joined && openMic().catch((err) => say(err.message));

  function applyMicState() {
    if (!local.mic) return;
    local.mic.enabled = !call.muted && !call.deafened && (mode() === "vad" || pttHeld);
  }
  call.applyMicState = applyMicState;

  // The level meter of whichever voice panel is on the page.
  let meterTimer = null;
  let meterCtx = null;
  function meter(stream) {
    clearInterval(meterTimer);
    meterCtx?.close().catch(() => {});
    meterCtx = new AudioContext();
    const analyser = meterCtx.createAnalyser();
    analyser.fftSize = 512;
    meterCtx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    meterTimer = setInterval(() => {
      const el = document.getElementById("voice-level");
      if (!el) return;
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += x * x;
      el.value = Math.min(1, Math.sqrt(sum / data.length) * 4);
    }, 100);
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
          say(L().lReconnecting);
          setTimeout(() => join(call.target).catch(() => {}), 1500);
        }
      };
      ws.onmessage = (e) => onFrame(JSON.parse(e.data)).catch((err) => console.warn("voice", err));
    });
  }

  async function onFrame(f) {
    if (f.v === "joined") {
      joined = f;
      call.connecting = false;
      if (!f.grants.speak) say(L().lReceiveOnly);
      else if (!f.grants.vad) say(L().lPttOnly);
      else say(L().lConnected);
    } else if (f.v === "offer") await onOffer(f);
    else if (f.v === "room") T().renderRoster(f.members);
    else if (f.v === "left") {
      const wasJoined = joined;
      call.connecting = false;
      cleanup();
      if (wasJoined && f.reason !== "left") say(fill(L().lLeft, { reason: f.reason }));
      else say("");
      // Dropped by a network problem (not by a person or a permission): come back on our own.
      if (wasJoined && /^(no |connection failed|room failed|SFU thread)/.test(f.reason) && Date.now() - lastRejoin > 10000) {
        lastRejoin = Date.now();
        setTimeout(() => join(call.target).catch(() => {}), 1500);
      }
    } else if (f.v === "declined") say(fill(L().lDeclined, { name: f.name }));
    else if (f.v === "move") location.href = `/channels/${call.target?.guildId}/${f.channel}?join=1`;
    else if (f.v === "error") {
      call.connecting = false;
      say(f.code === "full" ? L().lFull : f.code === "forbidden" ? L().lForbidden : f.code === "unknown_channel" ? L().lUnknown : f.message);
    }
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
      if (t.receiver.track.kind === "video") preferBrowserCodecs(t);
      await t.sender.replaceTrack(local[source]);
      if (source === "camera") setLayers(t.sender);
    }
    await pc.setLocalDescription(await pc.createAnswer());
    send({ v: "answer", sdp: pc.localDescription.sdp });
    T().prune(tracks);
  }

  // The server offers VP8 and H.264. An answer ordered by this browser's own list tells the
  // server what it prefers (Safari: H.264, often in hardware; Chrome and Firefox: VP8); the
  // server then offers that codec first, which is the one a browser answering sends.
  function preferBrowserCodecs(t) {
    const caps = window.RTCRtpReceiver?.getCapabilities?.("video")?.codecs;
    if (!caps || !t.setCodecPreferences) return;
    try {
      t.setCodecPreferences(caps);
    } catch {
      // An older browser that refuses: the offer's order stands.
    }
  }

  // The camera goes up as simulcast, one encoding per rid the server's offer asked for (quarter,
  // half and full size of 1280x720); the server forwards each viewer the one that fits its tile.
  const LAYERS = {
    q: { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    h: { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    f: { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
  };
  function setLayers(sender) {
    const params = sender.getParameters();
    if (!params.encodings || !params.encodings.length) return;
    // A single encoding (a browser that did not take up simulcast) is capped like the top layer.
    for (const e of params.encodings) Object.assign(e, LAYERS[e.rid] ?? { maxBitrate: LAYERS.f.maxBitrate });
    sender.setParameters(params).catch(() => {});
  }

  function makePeer() {
    pc = new RTCPeerConnection({ iceServers: joined?.ice ?? [], bundlePolicy: "max-bundle" });
    pc.ontrack = (e) => {
      const info = tracks.get(e.transceiver.mid);
      if (!info) return;
      T().attach(info.user, info.source, new MediaStream([e.track]));
    };
    pc.oniceconnectionstatechange = () => {
      const state = pc?.iceConnectionState;
      // A changed network: ask for a fresh offer with new ICE credentials (not too often).
      if ((state === "failed" || state === "disconnected") && Date.now() - lastRestart > 5000) {
        lastRestart = Date.now();
        send({ v: "restart" });
      }
    };
    // "failed" with ICE alive is DTLS gone wrong: an ICE restart keeps that DTLS session, so come
    // back with a new connection (the server leaves the old one as "switched"). The server may
    // drop it first ("connection failed: DTLS ..."); the rejoin above then wins, once in 10 s.
    const peer = pc;
    pc.onconnectionstatechange = () => {
      if (peer !== pc || peer.connectionState !== "failed" || !joined || Date.now() - lastRejoin < 10000) return;
      lastRejoin = Date.now();
      cleanup();
      say(L().lReconnecting);
      join(call.target).catch(() => {});
    };
  }

  // A new microphone (device or processing changed) goes on the same m-line: no renegotiation.
  async function replaceUplink(source, track) {
    const t = pc?.getTransceivers().find((x) => x.mid && x.mid === uplink[source]);
    if (t) await t.sender.replaceTrack(track);
  }


  // --- joining and leaving; a join elsewhere moves the call (the server leaves the old one) ---
  async function join(target) {
    if (!target) return;
    if (call.target && call.target.channelId !== target.channelId && joined) cleanup();
    call.target = target;
    call.connecting = true;
    say(L().lConnecting);
    try {
      if (!local.mic) await openMic();
    } catch (err) {
      // Without a microphone one can still listen.
      say(fill(L().lMedia, { reason: err.message || err.name }));
    }
    if (!ws || ws.readyState !== WebSocket.OPEN) await connect();
    send({ v: "join", channel: target.channelId });
  }
  call.join = (target) => join(target).catch((err) => say(err.message));

  function cleanup() {
    joined = null;
    pc?.close();
    pc = null;
    for (const k of ["camera", "screen", "screenAudio"]) {
      local[k]?.stop();
      local[k] = null;
    }
    T().clear();
    tracks = new Map();
    call.roster = [];
    call.changed();
  }

  call.leave = () => {
    send({ v: "leave" });
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
    local.mic = null;
    clearInterval(meterTimer);
  };
  call.toggleMute = () => {
    call.muted = !call.muted;
    applyMicState();
    send({ v: "state", selfMute: call.muted });
    call.changed();
  };
  call.toggleDeafen = () => {
    call.deafened = !call.deafened;
    applyMicState();
    T().applyVolumes();
    send({ v: "state", selfDeaf: call.deafened });
    call.changed();
  };
  call.send = send;
  call.say = say;

  // Push to talk works on every page of the call.
  const pttKey = () => store.get("pttKey", "Space");
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
  // The page (not the call) is being left: the grid waits in the dock, playing.
  document.addEventListener("pokynano:page-leave", () => window.pokynanoCallDock?.park(grid));
  window.addEventListener("pagehide", () => send({ v: "leave" }));
  // For tests: the live peer connection, and an ICE restart as a network change would cause.
  window.pokynanoVoice = {
    get pc() {
      return pc;
    },
    restart() {
      lastRestart = Date.now();
      send({ v: "restart" });
    },
  };
})();
