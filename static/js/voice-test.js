// Settings → Voice: the connection test. Connects to the SFU exactly as a call does (its own
// room, no one else), sends a quiet test tone for a few seconds, and reads from the browser's own
// WebRTC statistics what worked: direct UDP or not, the TURN relay (when configured), the
// round-trip time and the loss the server's receiver reports. No microphone permission needed.
pokynanoPage.init((signal) => {
  const box = document.getElementById("voice-test");
  if (!box) return;
  const L = box.dataset;
  const $ = (id) => document.getElementById(id);
  const run = $("voice-test-run");

  function tone() {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.05;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    return { track: dest.stream.getAudioTracks()[0], stop: () => ctx.close() };
  }

  /** One pass: resolves with the stats of a connected call, or null if it never connected. */
  function pass(policy) {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?voice`);
      const source = tone();
      let pc = null;
      const finish = (result) => {
        clearTimeout(timer);
        try {
          ws.send(JSON.stringify({ v: "leave" }));
        } catch {}
        ws.close();
        pc?.close();
        source.stop();
        resolve(result);
      };
      const timer = setTimeout(() => finish(null), 12000);
      ws.onopen = () => ws.send(JSON.stringify({ v: "test" }));
      ws.onerror = () => finish(null);
      ws.onmessage = async (e) => {
        const f = JSON.parse(e.data);
        if (f.v === "joined") {
          if (policy === "relay" && !f.ice.some((s) => s.urls.some((u) => u.startsWith("turn")))) return finish(null);
          pc = new RTCPeerConnection({ iceServers: f.ice, iceTransportPolicy: policy, bundlePolicy: "max-bundle" });
          pc.onconnectionstatechange = () => {
            if (pc.connectionState !== "connected") return;
            // Let a few receiver reports come back before reading loss and RTT.
            setTimeout(async () => finish(await read(pc)), 5000);
          };
        } else if (f.v === "offer") {
          await pc.setRemoteDescription({ type: "offer", sdp: f.sdp });
          for (const t of pc.getTransceivers()) {
            if (t.mid !== f.uplink.mic) continue;
            t.direction = "sendonly";
            await t.sender.replaceTrack(source.track);
          }
          await pc.setLocalDescription(await pc.createAnswer());
          ws.send(JSON.stringify({ v: "answer", sdp: pc.localDescription.sdp }));
        }
      };
    });
  }

  async function read(pc) {
    const stats = await pc.getStats();
    let pair = null;
    let lost = 0;
    let sent = 0;
    for (const s of stats.values()) {
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") pair = s;
      if (s.type === "remote-inbound-rtp") lost += Math.max(0, s.packetsLost ?? 0);
      if (s.type === "outbound-rtp") sent += s.packetsSent ?? 0;
    }
    const local = pair ? stats.get(pair.localCandidateId) : null;
    return { rtt: pair?.currentRoundTripTime, relay: local?.candidateType === "relay", loss: sent ? lost / sent : 0 };
  }

  run.addEventListener("click", async () => {
    run.disabled = true;
    for (const id of ["voice-test-udp", "voice-test-rtt", "voice-test-loss"]) $(id).textContent = L.running;
    const direct = await pass("all");
    $("voice-test-udp").textContent = direct && !direct.relay ? L.ok : L.fail;
    $("voice-test-rtt").textContent = direct?.rtt !== undefined && direct ? `${Math.round(direct.rtt * 1000)} ms` : "–";
    $("voice-test-loss").textContent = direct ? `${(direct.loss * 100).toFixed(1)} %` : "–";
    if (L.turn) {
      $("voice-test-turn").textContent = L.running;
      const relayed = await pass("relay");
      $("voice-test-turn").textContent = relayed ? L.ok : L.fail;
    }
    box.dataset.done = "1";
    run.disabled = false;
  });
});
