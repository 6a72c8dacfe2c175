// The call panel of a voice channel page (#voice-panel) or a DM's call: join, the controls, the
// settings and the grid, drawn from the tab's call (window.pokynanoCall, static/js/voice.js).
// Set up again each time such a page is shown: coming back to the call's own page shows its grid
// as it is (no rejoin); another channel's panel offers to join that one instead.
pokynanoPage.init((signal) => {
  const panel = document.getElementById("voice-panel");
  const call = window.pokynanoCall;
  if (!panel || !call) return;
  const $ = (id) => document.getElementById(id);
  const L = panel.dataset;
  const channelId = L.channelId;
  const store = call.store;
  const placeholder = $("voice-grid");
  const buttons = { join: $("voice-join"), leave: $("voice-leave"), mute: $("voice-mute"), deafen: $("voice-deafen"), camera: $("voice-camera"), screen: $("voice-screen"), layout: $("voice-layout") };
  const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const mine = () => call.target?.channelId === channelId;
  const target = () => ({
    channelId,
    guildId: L.guildId || null,
    name: panel.getAttribute("aria-label") ?? "",
    href: L.guildId ? `/channels/${L.guildId}/${channelId}` : `/channels/@me/${channelId}?call=1`,
    labels: { ...L, mute: buttons.mute.textContent, deafen: buttons.deafen.textContent, leave: buttons.leave.textContent },
  });

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const [select, kind, key] of [[$("voice-input"), "audioinput", "input"], [$("voice-output"), "audiooutput", "output"]]) {
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => new Option(d.label || `${kind} ${i + 1}`, d.deviceId, false, d.deviceId === store.get(key, ""))));
    }
  }

  // The grid lives with the call: this page's empty one makes room for it.
  function adopt() {
    const grid = call.grid;
    if (grid.parentElement === panel || !placeholder?.isConnected) return;
    try {
      panel.moveBefore(grid, placeholder);
    } catch {
      panel.insertBefore(grid, placeholder);
    }
    placeholder.remove();
    grid.id = "voice-grid";
  }

  let devicesFor = -1;
  function render() {
    const here = mine();
    const inCall = here && Boolean(call.joined);
    buttons.join.hidden = inCall;
    for (const b of [buttons.leave, buttons.mute, buttons.deafen, buttons.camera, buttons.screen, buttons.layout]) if (b) b.hidden = !inCall;
    $("voice-status").textContent = here ? call.status : "";
    buttons.mute.setAttribute("aria-pressed", String(call.muted));
    buttons.deafen.setAttribute("aria-pressed", String(call.deafened));
    for (const k of ["camera", "screen"]) buttons[k]?.setAttribute("aria-pressed", String(inCall && Boolean(call.local[k])));
    const speaker = call.grid.dataset.layout === "speaker";
    buttons.layout.setAttribute("aria-pressed", String(speaker));
    buttons.layout.textContent = speaker ? buttons.layout.dataset.grid : buttons.layout.dataset.speaker;
    panel.classList.toggle("has-members", here && call.roster.length > 0);
    if (here) adopt();
    call.attached = here;
    window.pokynanoCallDock?.render(call);
    if (call.micVersion !== devicesFor) {
      devicesFor = call.micVersion;
      listDevices().catch(() => {});
    }
  }
  call.listen(render, signal);
  signal.addEventListener("abort", () => {
    call.attached = false;
    window.pokynanoCallDock?.render(call);
  });

  buttons.join.addEventListener("click", () => call.join(target()));
  buttons.leave.addEventListener("click", () => call.leave());
  buttons.mute.addEventListener("click", () => call.toggleMute());
  buttons.deafen.addEventListener("click", () => call.toggleDeafen());

  async function toggleVideo(source) {
    const local = call.local;
    const me = call.joined?.user;
    if (!me) return;
    const on = !local[source];
    try {
      if (on) {
        // A screen share takes the tab's or system's sound too where the browser offers it.
        const stream = source === "camera" ? await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 24 } }) : await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: true });
        local[source] = stream.getVideoTracks()[0];
        if (source === "screen" && stream.getAudioTracks()[0]) {
          local.screenAudio = stream.getAudioTracks()[0];
          call.send({ v: "publish", source: "screenAudio", on: true });
        }
        const track = local[source];
        track.addEventListener("ended", () => local[source] === track && toggleVideo(source));
        call.tileOf(me).querySelector("figcaption").textContent = "";
        call.attach(me, source, stream);
      } else {
        local[source].stop();
        local[source] = null;
        call.tileOf(me).querySelector(`[data-source="${source}"]`)?.remove();
        if (source === "screen" && local.screenAudio) {
          local.screenAudio.stop();
          local.screenAudio = null;
          call.send({ v: "publish", source: "screenAudio", on: false });
        }
      }
      call.send({ v: "publish", source, on });
      call.changed();
    } catch (err) {
      call.say(fill(L.lMedia, { reason: err.message || err.name }));
    }
  }
  buttons.camera?.addEventListener("click", () => toggleVideo("camera"));
  buttons.screen?.addEventListener("click", () => toggleVideo("screen"));
  buttons.layout.addEventListener("click", () => {
    call.grid.dataset.layout = call.grid.dataset.layout === "speaker" ? "grid" : "speaker";
    render();
  });

  // --- settings ---
  for (const radio of document.querySelectorAll('input[name="voice-mode"]')) {
    radio.checked = radio.value === store.get("mode", "vad");
    radio.addEventListener("change", () => {
      store.set("mode", radio.value);
      call.applyMicState();
    });
  }
  const keyButton = $("voice-ptt-key");
  keyButton.textContent = store.get("pttKey", "Space");
  keyButton.addEventListener("click", () => {
    keyButton.textContent = L.lKeyHint;
    window.addEventListener("keydown", (e) => {
      e.preventDefault();
      store.set("pttKey", e.code);
      keyButton.textContent = e.code;
    }, { once: true, capture: true, signal });
  });
  $("voice-input").addEventListener("change", (e) => {
    store.set("input", e.target.value);
    call.reopenMic();
  });
  $("voice-output").addEventListener("change", (e) => call.setOutput(e.target.value));
  for (const id of ["voice-ns", "voice-ec"]) {
    $(id).checked = store.get(id, "1") === "1";
    $(id).addEventListener("change", () => {
      store.set(id, $(id).checked ? "1" : "0");
      call.reopenMic();
    });
  }

  render();
  // Joining by clicking a voice channel in the sidebar (its link carries ?join=1); the call this
  // tab is already in is shown, not joined again.
  if (new URLSearchParams(location.search).has("join") && !(mine() && (call.joined || call.connecting))) call.join(target());
});
