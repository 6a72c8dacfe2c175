// Gateway op 4 VOICE_STATE_UPDATE from a JSON client ({guild_id, channel_id, self_mute,
// self_deaf}). Media needs a WebRTC connection, which a JSON client does not have here, so op 4
// acts on a call the user has in a browser tab: channel_id null leaves it, the self_ switches
// apply, another channel moves the tab's call there (with CONNECT). Without a call it changes
// nothing (docs/gateway.md).
import { z } from "zod";
import type { Core } from "../core.ts";
import { channelAccess } from "../guilds/access.ts";
import { has, Permission } from "../permissions/permissions.ts";
import { send } from "./live.tsx";
import { leave, setSelf, voiceOf } from "./service.ts";

const op4 = z.object({
  guild_id: z.string().regex(/^\d{1,20}$/).nullable(),
  channel_id: z.string().regex(/^\d{1,20}$/).nullable(),
  self_mute: z.boolean(),
  self_deaf: z.boolean(),
});

export function gatewayVoiceState(core: Core, userId: string, d: unknown): boolean {
  const parsed = op4.safeParse(d);
  if (!parsed.success) return false;
  const v = voiceOf(core);
  const p = v.states.ofUser(userId);
  if (!p) return true;
  const want = parsed.data;
  if (want.channel_id === null) {
    void leave(v, p, "left");
    return true;
  }
  if (want.channel_id !== p.channelId) {
    const access = channelAccess(core, userId, want.channel_id);
    if (access && access.channel.type === 2 && has(access.permissions, Permission.CONNECT)) send(p.ws, { v: "move", channel: want.channel_id });
    return true;
  }
  void setSelf(v, p, { selfMute: want.self_mute, selfDeaf: want.self_deaf }).catch(() => {});
  return true;
}
