// Tests run their fake web servers on 127.0.0.1, which the guard refuses. A test may allow one
// loopback port for one running server (its Core) by calling this from test code; nothing in the
// configuration, the database or a request can reach it, so a deployed instance never has one.
const allowed = new WeakMap<object, Set<number>>();

export function allowLoopbackPortForTests(context: object, port: number): void {
  const ports = allowed.get(context) ?? new Set<number>();
  ports.add(port);
  allowed.set(context, ports);
}

/** Only 127.0.0.1 on a port a test allowed for this context. */
export function allowedForTests(context: object | undefined, address: string, port: number): boolean {
  return context !== undefined && address === "127.0.0.1" && (allowed.get(context)?.has(port) ?? false);
}
