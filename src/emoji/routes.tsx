// Browser side of custom emoji: the images (/emojis/{id}.webp|gif), the server settings page,
// and the picker's search (/emojis/search?channel=&q=).
import { Hono, type Context } from "hono";
import { z } from "zod";
import { join } from "node:path";
import { EmojiSettingsPage } from "../../views/emoji/settings.tsx";
import type { GuildAbilities } from "../../views/guilds/settings.tsx";
import { currentAuth } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import { requireChannel, requireGuild, unknownChannel, unknownGuild, type GuildAccess } from "../guilds/access.ts";
import type { AppEnv } from "../http/env.ts";
import { formErrors, pageCtx } from "../http/page.ts";
import { parseForm, snowflakeParam } from "../http/validate.ts";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { requirePageUser } from "../users/routes.tsx";
import { searchEmoji } from "./search.ts";
import { createEmoji, deleteEmoji, emojiDir, listEmojis, renameEmoji, unknownEmoji } from "./service.ts";
import { customEmojis } from "./table.ts";
import { eq } from "drizzle-orm";

export function emojiRoutes(core: Core) {
  const app = new Hono<AppEnv>();

  // Emoji images are public, like Discord's CDN: a message quoting one is readable by anyone it
  // is shown to. The id picks the row; the file name comes from the row, never from the request.
  app.get("/emojis/:file{[0-9]{1,20}\\.(?:webp|gif)}", async (c) => {
    const id = c.req.param("file").split(".")[0]!;
    const emoji = core.db.readOrm.select().from(customEmojis).where(eq(customEmojis.id, id)).get();
    if (!emoji) return c.notFound();
    const file = Bun.file(join(emojiDir(core), emoji.file));
    if (!(await file.exists())) return c.notFound();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = bytes[0] === 0x47 ? "image/gif" : "image/webp";
    return c.body(bytes, 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
    });
  });

  app.use("/emojis/search", requirePageUser);
  app.get("/emojis/search", (c) => {
    const q = z.object({ channel: snowflakeParam, q: z.string().max(64).optional() }).safeParse(c.req.query());
    if (!q.success) throw unknownChannel();
    const userId = currentAuth(c).user.id;
    const access = requireChannel(core, userId, q.data.channel);
    c.header("Cache-Control", "private, no-cache");
    return c.json(searchEmoji(core, userId, access, q.data.q ?? ""));
  });

  app.use("/guilds/*", requirePageUser);
  const me = (c: Context<AppEnv>) => currentAuth(c).user.id;
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
  const abilities = (a: GuildAccess): GuildAbilities => ({
    manageGuild: has(a.permissions, Permission.MANAGE_GUILD),
    manageRoles: has(a.permissions, Permission.MANAGE_ROLES),
    ban: has(a.permissions, Permission.BAN_MEMBERS),
    isOwner: a.isOwner,
    manageExpressions: true, // this page needs it
  });
  const page = (c: Context<AppEnv>, extra: { notice?: string; errors?: ReturnType<typeof formErrors>["errors"] } = {}, status = 200) => {
    const a = requireGuild(core, me(c), gid(c), Permission.MANAGE_GUILD_EXPRESSIONS);
    return c.html(<EmojiSettingsPage ctx={pageCtx(c, core)} guild={a.guild} can={abilities(a)} emojis={listEmojis(core, me(c), a.guild.id)} {...extra} />, status as 200);
  };
  const back = (c: Context<AppEnv>) => c.redirect(`/guilds/${gid(c)}/settings/emoji?saved=1`, 303);
  const attempt = async (c: Context<AppEnv>, action: () => Promise<unknown>) => {
    try {
      await action();
      return back(c);
    } catch (err) {
      const { errors, status } = formErrors(c, err);
      return page(c, { errors }, status);
    }
  };

  app.get("/guilds/:guild/settings/emoji", (c) => page(c, { notice: c.req.query("saved") ? c.get("t")("common.saved") : undefined }));
  app.post("/guilds/:guild/emojis", async (c) => {
    const body = await c.req.parseBody();
    return attempt(c, async () => {
      const image = body.image;
      const name = typeof body.name === "string" ? body.name.trim() : "";
      if (!(image instanceof File) || image.size === 0) throw new AppError(400, ErrorCode.invalidBody, "No image.", { fields: { image: "No image." }, fieldKeys: { image: "emoji.invalidImage" } });
      await createEmoji(core, me(c), gid(c), name, new Uint8Array(await image.arrayBuffer()));
    });
  });
  app.post("/guilds/:guild/emojis/:emoji", async (c) => {
    const form = await parseForm(c, z.object({ name: z.string().max(64) }));
    return attempt(c, () => renameEmoji(core, me(c), gid(c), eid(c), form.name.trim()));
  });
  app.post("/guilds/:guild/emojis/:emoji/delete", async (c) => attempt(c, () => deleteEmoji(core, me(c), gid(c), eid(c))));
  return app;
}
