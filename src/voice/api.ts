// GET /api/v10/voice/stats (instance admins): the SFU's own figures (rooms, peers, peer
// connections, UDP sockets, packets forwarded and gated, the SFU thread's heap and longest block)
// and the longest block of the main (chat) event loop since the last call, for operators and the
// voice bench.
import { Hono } from "hono";
import { requireAdmin, requireUser } from "../auth/middleware.ts";
import type { Core } from "../core.ts";
import type { AppEnv } from "../http/env.ts";
import { mainLoopBlock, voiceOf } from "./service.ts";

export function voiceApi(core: Core) {
  const app = new Hono<AppEnv>();
  app.use("*", requireUser, requireAdmin);
  app.get("/stats", async (c) => {
    const v = voiceOf(core);
    const sfu = v.states.roomCount > 0 || v.tests.size > 0 ? await v.sfu.stats() : null;
    return c.json({ rooms: v.states.roomCount, participants: [...v.states.all()].length, sfu, main_loop_max_block_ms: mainLoopBlock.take() });
  });
  return app;
}
