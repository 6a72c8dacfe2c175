// Browser side of files: the composer's staged uploads (one raw body per file, so the page can
// show progress with XMLHttpRequest and cancel), the channel's media panel, and the file URLs.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Core } from "../core.ts";
import { channelAccess, requireChannel, unknownChannel } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { pageCtx } from "../http/page.ts";
import { snowflakeParam } from "../http/validate.ts";
import { ErrorCode } from "../lib/errors.ts";
import { keyedError } from "../lib/field-error.ts";
import { Permission } from "../permissions/permissions.ts";
import { FilesPanel } from "../../views/files/panel.tsx";
import { thumbFormat } from "./image.ts";
import { attachmentJson } from "./json.ts";
import { viewOf } from "./queries.ts";
import { serveFile } from "./serve.ts";
import { validSignature } from "./sign.ts";
import { deleteStaged, stageUpload } from "./service.ts";
import { blobPath, thumbPath } from "./store.ts";
import { attachments } from "./table.ts";

const PANEL_LIMIT = 60;
const unknownFile = () => keyedError(404, ErrorCode.unknownRoute, "files.unknown");

export function fileRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  const param = (c: Context<AppEnv>, name: string) => {
    const parsed = snowflakeParam.safeParse(c.req.param(name));
    if (!parsed.success) throw name === "channel" ? unknownChannel() : unknownFile();
    return parsed.data;
  };
  const me = (c: Context<AppEnv>) => {
    const auth = c.get("auth");
    if (!auth) throw keyedError(401, ErrorCode.unauthorized, "error.unauthorized");
    return auth.user;
  };

  // Staging: POST /channels/{id}/attachments?filename=photo.jpg with the file as the body.
  app.post("/channels/:channel/attachments", async (c) => {
    const q = z.object({ filename: z.string().min(1).max(1000) }).safeParse(c.req.query());
    if (!q.success) throw keyedError(400, ErrorCode.invalidBody, "files.nameMissing");
    const declared = c.req.header("Content-Length");
    const row = await stageUpload(core, me(c), param(c, "channel"), { filename: q.data.filename, declaredSize: declared && /^\d+$/.test(declared) ? Number(declared) : null, body: c.req.raw.body });
    return c.json(attachmentJson(viewOf(core, row)), 201);
  });
  app.delete("/channels/:channel/attachments/:attachment", async (c) => {
    await deleteStaged(core, me(c).id, param(c, "channel"), param(c, "attachment"));
    return c.body(null, 204);
  });

  // The channel's media and files, newest first (the panel next to the pins button).
  app.get("/channels/:channel/files", (c) => {
    const channelId = param(c, "channel");
    requireChannel(core, me(c).id, channelId, Permission.READ_MESSAGE_HISTORY);
    const rows = core.db.readOrm
      .select()
      .from(attachments)
      .where(and(eq(attachments.channelId, channelId), isNotNull(attachments.messageId)))
      .orderBy(desc(attachments.id))
      .limit(PANEL_LIMIT)
      .all();
    return c.html(<FilesPanel ctx={pageCtx(c, core)} files={rows.map((r) => viewOf(core, r))} />);
  });

  // GET /attachments/{channel}/{attachment}/{filename}[?thumb=list|preview]. The name in the URL is
  // decoration (as on Discord's CDN); the row is found by id and channel, and shown only to who may
  // see that channel (a staged upload: only to its uploader), or with the API's signed URL until it
  // expires. Everyone else gets a 404.
  const serve = (c: Context<AppEnv>) => {
    const auth = c.get("auth");
    const channelId = param(c, "channel");
    const row = core.db.readOrm
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, param(c, "attachment")), eq(attachments.channelId, channelId)))
      .get();
    if (!row) throw unknownFile();
    // A sent file with a valid signature from the API (sign.ts), or a reader who can see its channel.
    const signed = row.messageId !== null && validSignature(core, row.id, { ex: c.req.query("ex"), hm: c.req.query("hm") });
    const visible = signed || (auth !== undefined && auth !== null && (row.messageId === null ? row.uploaderId === auth.user.id : channelAccess(core, auth.user.id, channelId) !== null));
    if (!visible) throw unknownFile();
    const thumb = c.req.query("thumb");
    if ((thumb === "list" || thumb === "preview") && row.width !== null && row.contentType.startsWith("image/")) {
      const path = thumbPath(core, row.sha256, thumb);
      const format = thumbFormat(row.contentType);
      return serveFile(c, { path, size: Bun.file(path).size, etag: `"${row.sha256}-${thumb}"`, contentType: `image/${format}`, filename: `${row.filename.replace(/\.[^.]*$/, "")}.${format === "jpeg" ? "jpg" : "webp"}` });
    }
    return serveFile(c, { path: blobPath(core, row.sha256), size: row.size, etag: `"${row.sha256}"`, contentType: row.contentType, filename: row.filename });
  };
  app.get("/attachments/:channel/:attachment/:filename", serve);
  return app;
}
