/** Exit status for `pokynano healthcheck`: 0 when /healthz answers 200 "ok" within 3 s. */
export async function healthcheck(baseUrl: string): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    return { ok: res.status === 200 && text === "ok", detail: `${res.status} ${text}` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}
