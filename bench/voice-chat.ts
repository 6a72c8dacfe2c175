// The voice bench's chat client, in its own process so that the voice clients' load does not
// delay it: acknowledged POST /messages at a steady rate; prints the latencies (ms) as JSON.
const [base, token, channelId, ms, perSecond] = Bun.argv.slice(2);
const latencies: number[] = [];
const inflight: Promise<void>[] = [];
const end = performance.now() + Number(ms);
let i = 0;
while (performance.now() < end) {
  const t0 = performance.now();
  inflight.push(
    fetch(`${base}/api/v10/channels/${channelId}/messages`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ content: `chat ${i++}` }) }).then(async (res) => {
      await res.text();
      if (res.ok) latencies.push(performance.now() - t0);
    }),
  );
  await Bun.sleep(1000 / Number(perSecond));
}
await Promise.all(inflight);
console.log(JSON.stringify(latencies));
export {};
