// POST /api/v10/channels/{id}/messages as multipart/form-data, Discord's way to send files:
// parts files[0..9] plus payload_json (the usual JSON body, whose `attachments` array gives each
// files[n] its description or a new filename, and whose `embeds` are validated by the same schema
// as a JSON send's). JSON sends pass through to messagesApi, held to
// the general 1 MiB body limit here (app.ts allows this path more, for files).
import { Hono, type Context, type Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { Core } from "../core.ts";
import { unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode, tooLarge } from "../lib/errors.ts";
import { fieldError, keyedError } from "../lib/field-error.ts";
import { embedsSchema } from "../embeds/schema.ts";
import { fromInput } from "../embeds/service.ts";
import { messageJson, renderMessages } from "../messages/render.ts";
import { sendMessage } from "../messages/service.ts";
import { formatBytes, maxFileBytes, MAX_DESCRIPTION, MAX_FILES, FILE_SIZE_CEILING } from "./limits.ts";
import { checkQuota, deleteStaged, ingest, requireAttachChannel, tooBig } from "./service.ts";
import { tmpPath } from "./store.ts";

/** The general JSON body limit (app.ts MAX_BODY_BYTES). */
const JSON_LIMIT = 1024 * 1024;
const ENVELOPE = 1024 * 1024;

const payload = z.object({
  content: z.string().max(8000).default(""),
  nonce: z.union([z.string().max(25), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String)]).nullish(),
  tts: z.boolean().optional(),
  embeds: embedsSchema.optional(),
  allowed_mentions: z.object({ replied_user: z.boolean().optional() }).passthrough().optional(),
  message_reference: z.object({ message_id: z.string().regex(/^\d{1,20}$/, "Not a message id.") }).passthrough().optional(),
  attachments: z
    .array(z.object({ id: z.union([z.number().int().min(0), z.string().regex(/^\d{1,2}$/)]).transform(Number), filename: z.string().max(1000).optional(), description: z.string().max(MAX_DESCRIPTION).nullish() }).passthrough())
    .max(MAX_FILES)
    .optional(),
});

const jsonLimit = bodyLimit({
  maxSize: JSON_LIMIT,
  onError: () => {
    throw tooLarge(`The request body is larger than the ${JSON_LIMIT / 1024} KiB limit.`);
  },
});

function readPayload(form: FormData): z.infer<typeof payload> {
  const raw = form.get("payload_json");
  let value: unknown;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError(400, ErrorCode.invalidBody, "payload_json is not valid JSON.", { fields: { payload_json: "Not valid JSON." } });
    }
  } else value = { content: form.get("content") ?? "", nonce: form.get("nonce") ?? undefined };
  const parsed = payload.safeParse(value);
  if (!parsed.success) throw new AppError(400, ErrorCode.invalidBody, "Invalid form body.", { fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "payload_json", i.message])) });
  return parsed.data;
}

/** files[n] parts (and `file`, which older libraries send), in index order. */
function fileParts(form: FormData): { index: number; file: File }[] {
  const parts: { index: number; file: File }[] = [];
  let next = 0;
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") continue;
    const m = /^files?(?:\[(\d{1,2})\])?$/.exec(key);
    if (!m) continue;
    parts.push({ index: m[1] !== undefined ? Number(m[1]) : next, file: value });
    next++;
  }
  return parts.sort((a, b) => a.index - b.index);
}

export function filesApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.post("/:channel/messages", async (c: Context<AppEnv>, next: Next) => {
    if (!(c.req.header("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data")) return jsonLimit(c, next);
    const auth = c.get("auth");
    if (!auth) throw keyedError(401, ErrorCode.unauthorized, "error.unauthorized");
    if (!auth.scopes.has("write")) throw keyedError(403, ErrorCode.forbidden, "error.readOnlyToken");
    const parsedId = snowflakeParam.safeParse(c.req.param("channel"));
    if (!parsedId.success) throw unknownChannel();
    const channelId = parsedId.data;
    const user = auth.user;
    requireAttachChannel(core, user.id, channelId);
    const max = maxFileBytes(core);
    const total = Math.min(MAX_FILES * max + ENVELOPE, FILE_SIZE_CEILING + ENVELOPE);
    const declared = Number(c.req.header("Content-Length") ?? 0);
    if (declared > total) throw keyedError(413, ErrorCode.tooLarge, "files.requestTooLarge", { max: formatBytes(total) });
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw new AppError(400, ErrorCode.invalidBody, "The multipart body could not be read.");
    }
    const body = readPayload(form);
    const parts = fileParts(form);
    if (parts.length > MAX_FILES) throw fieldError({ files: "files.tooMany" }, { max: MAX_FILES });
    for (const { file } of parts) if (file.size > max) throw tooBig(max);
    // The whole request against the quota, before storing anything.
    checkQuota(core, user.id, parts.reduce((n, p) => n + p.file.size, 0));
    const described = new Map((body.attachments ?? []).map((a) => [a.id, a]));
    const staged: string[] = [];
    try {
      const choices = [];
      for (const { index, file } of parts) {
        const tmp = tmpPath(core);
        await Bun.write(tmp, file);
        const meta = described.get(index);
        const row = await ingest(core, { uploaderId: user.id, channelId, filename: meta?.filename || file.name || "file", received: { tmp, size: file.size, sha256: "" } });
        staged.push(row.id);
        choices.push({ id: row.id, description: meta?.description ?? null });
      }
      const { message, guildId, created } = await sendMessage(core, user, channelId, {
        content: body.content,
        nonce: body.nonce ?? null,
        replyToId: body.message_reference?.message_id ?? null,
        replyPing: body.allowed_mentions?.replied_user ?? false,
        attachments: choices,
        embeds: body.embeds?.map(fromInput),
      });
      // A retried nonce returns the first message: these copies are not needed.
      if (!created) for (const id of staged) await deleteStaged(core, user.id, channelId, id);
      return c.json(messageJson(renderMessages(core, guildId, [message], { html: false })[0]!, user.id));
    } catch (err) {
      // Nothing half-done stays behind: files staged for a send that failed are removed now.
      for (const id of staged) await deleteStaged(core, user.id, channelId, id).catch(() => {});
      throw err;
    }
  });
  return app;
}
