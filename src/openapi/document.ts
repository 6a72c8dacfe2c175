// The OpenAPI 3.1 document of the REST API, built once from OPERATIONS; request bodies that have
// a zod schema are converted with zod's own toJSONSchema.
import { z } from "zod";
import { VERSION } from "../version.ts";
import { OPERATIONS, type Caller } from "./operations.ts";

const SECURITY: Record<Caller, Record<string, string[]>[]> = {
  any: [{ bearer: [] }, { bot: [] }, { cookie: [] }],
  people: [{ bearer: [] }, { cookie: [] }],
  bots: [{ bot: [] }],
  public: [],
};

const error = { $ref: "#/components/schemas/Error" };

export function openapiDocument(publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary, caller, body] of OPERATIONS) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    (paths[path] ??= {})[method.toLowerCase()] = {
      summary,
      tags: [path.split("/")[1]],
      ...(params.length ? { parameters: params } : {}),
      security: SECURITY[caller],
      ...(caller === "people" ? { "x-bots": "refused with 403 {code: 20001}" } : caller === "bots" ? { "x-people": "refused with 403 {code: 20002}" } : {}),
      ...(body ? { requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(body, { io: "input", unrepresentable: "any" }) } } } } : {}),
      responses: {
        "2XX": { description: "Success (Discord v10 shapes; see docs/api.md)" },
        "400": { description: "Invalid body or parameters", content: { "application/json": { schema: error } } },
        "401": { description: "No or invalid credentials", content: { "application/json": { schema: error } } },
        "403": { description: "Not allowed", content: { "application/json": { schema: error } } },
        "404": { description: "Unknown, or not visible to you", content: { "application/json": { schema: error } } },
        "429": { description: "Rate limited: wait retry_after seconds", content: { "application/json": { schema: error } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Pokynano API", version: VERSION, description: "Discord API v10 shapes. Bots: docs/bots.md. Realtime: docs/gateway.md." },
    servers: [{ url: `${publicUrl}/api/v10` }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A session token (pks.…) or a personal access token (pkt.…)" },
        bot: { type: "apiKey", in: "header", name: "Authorization", description: "Bot <token> (pkb.…)" },
        cookie: { type: "apiKey", in: "cookie", name: "pokynano_session", description: "Browsers; writes must come from the same origin" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["code", "message"],
          properties: { code: { type: "integer" }, message: { type: "string" }, errors: { type: "object", additionalProperties: { type: "string" } }, retry_after: { type: "number" }, global: { type: "boolean" } },
        },
      },
    },
  };
}
