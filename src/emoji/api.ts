// Discord's emoji endpoints: /api/v10/guilds/{guild_id}/emojis[/{emoji_id}]. The image comes as a
// data URI (data:image/png;base64,...), as in Discord.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { currentAuth, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { unknownGuild } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { parseJson, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { EMOJI_MAX_BYTES } from "./image.ts";
import { createEmoji, deleteEmoji, emojiJson, findEmoji, listEmojis, renameEmoji, unknownEmoji } from "./service.ts";

// Room for somewhat more than the largest image, so that an oversized one gets the clear 413 of
// the image check (the request body limit still bounds it).
const dataUri = z.string().max(Math.ceil((EMOJI_MAX_BYTES * 2) / 3) * 4 + 64);

function decodeDataUri(uri: string): Uint8Array {
  const m = /^data:image\/(png|gif|webp);base64,([A-Za-z0-9+/=]+)$/.exec(uri);
  if (!m) throw new AppError(400, ErrorCode.invalidBody, "image must be a data URI of a PNG, GIF or WebP image.", { fields: { image: "A data:image/png|gif|webp;base64 URI." } });
  return new Uint8Array(Buffer.from(m[2]!, "base64"));
}

export function emojiApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("/:guild/emojis", requireUser);
  app.use("/:guild/emojis/*", requireUser);
  const gid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("guild"));
    if (!parsed.success) throw unknownGuild();
    return parsed.data;
  };
  const eid = (c: Context<AppEnv>) => {
    const parsed = snowflakeParam.safeParse(c.req.param("emoji"));
    if (!parsed.success) throw unknownEmoji();
    return parsed.data;
  };
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
  app.get("/:guild/emojis", (c) => c.json(listEmojis(core, me(c), gid(c)).map(emojiJson)));
  app.get("/:guild/emojis/:emoji", (c) => c.json(emojiJson(findEmoji(core, me(c), gid(c), eid(c)))));
  app.post("/:guild/emojis", async (c) => {
    const body = await parseJson(c, z.object({ name: z.string().max(64), image: dataUri, roles: z.array(z.string()).max(0).optional() }));
    return c.json(emojiJson(await createEmoji(core, me(c), gid(c), body.name, decodeDataUri(body.image))), 201);
  });
  app.patch("/:guild/emojis/:emoji", async (c) => {
    const body = await parseJson(c, z.object({ name: z.string().max(64), roles: z.array(z.string()).max(0).nullish() }));
    return c.json(emojiJson(await renameEmoji(core, me(c), gid(c), eid(c), body.name)));
  });
  app.delete("/:guild/emojis/:emoji", async (c) => {
    await deleteEmoji(core, me(c), gid(c), eid(c));
    return c.body(null, 204);
  });
  return app;
}
