// Settings → Notifications, "This device": asks the browser for permission, subscribes it to Web
// Push with the server's VAPID key and stores the subscription (POST /settings/notifications/push);
// "Turn off" unsubscribes and tells the server to forget it.
pokynanoPage.init((signal) => {
  const box = document.getElementById("notify-device");
  if (!box) return;
  const state = document.getElementById("notify-state");
  const enable = document.getElementById("notify-enable");
  const disable = document.getElementById("notify-disable");
  const say = (key) => (state.textContent = box.dataset[key]);
  const supported = "Notification" in window && "serviceWorker" in navigator && "PushManager" in window;

  // The VAPID public key is base64url; PushManager wants its bytes.
  const keyBytes = (b64) => Uint8Array.from(atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
  const send = (method, body) => fetch("/settings/notifications/push", { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });

  async function current() {
    const reg = await navigator.serviceWorker.getRegistration("/");
    return reg ? reg.pushManager.getSubscription() : null;
  }
  async function refresh() {
    if (!supported) return say("unsupported");
    if (Notification.permission === "denied") return say("denied");
    const sub = await current().catch(() => null);
    const on = Notification.permission === "granted" && sub !== null;
    say(on ? "on" : "off");
    enable.hidden = on;
    disable.hidden = !on;
  }

  enable.addEventListener("click", async () => {
    if (!supported) return say("unsupported");
    if ((await Notification.requestPermission()) !== "granted") return refresh();
    const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) }));
    await send("POST", sub.toJSON());
    refresh();
  });
  disable.addEventListener("click", async () => {
    const sub = await current();
    if (sub) {
      await send("DELETE", { endpoint: sub.endpoint });
      await sub.unsubscribe();
    }
    refresh();
  });
  refresh();
});
