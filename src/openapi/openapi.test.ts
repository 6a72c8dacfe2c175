// The served OpenAPI document: valid enough for tools, and complete: every /api/v10 route the app
// registers is in it (add a line to operations.ts with a new route).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../app.ts";
import { createTestApp, type TestApp } from "../testing/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/** `/channels/:channel{[0-9]+}/pins` and `/channels/{channel}/pins` both become `/channels/{}/pins`. */
const shape = (path: string) => path.replace(/:\w+(\{[^}]*\})?/g, "{}").replace(/\{\w+\}/g, "{}");

describe("the OpenAPI document", () => {
  test("is served without signing in as OpenAPI 3.1 with this instance's address", async () => {
    const res = await app.fetch("/api/v10/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toBe(`${app.url}/api/v10`);
    // Bodies come from the routes' zod schemas.
    expect(Object.keys(doc.paths["/applications"]!.post!.requestBody!.content["application/json"]!.schema.properties!)).toEqual(["name", "description"]);
  });

  test("lists every /api/v10 route the app registers, and nothing it does not", async () => {
    const doc = (await (await app.fetch("/api/v10/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${shape(path)}`)));
    const registered = new Set(
      createApp(app.server.core, () => false)
        .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v10/"))
        .map((r) => `${r.method} ${shape(r.path.slice("/api/v10".length))}`),
    );
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((d) => !registered.has(d))).toEqual([]);
  });
});
