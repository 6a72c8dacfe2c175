// Voice state going out: the sidebar list under a voice channel (HTML, rendered once for every
// viewer), VOICE_STATE_UPDATE on the JSON gateway, and the room roster for the people in the
// call (their voice sockets subscribe to the room's topic).
import type { ServerWebSocket } from "bun";
import { VoiceMembers, type VoiceMemberView } from "../../views/voice/members.tsx";
import type { Core } from "../core.ts";
import { addGuildCreateFields, JsonTopic } from "../gateway/authority.ts";
import { guildAccess } from "../guilds/access.ts";
import { Topic, type SocketData } from "../hub/hub.ts";
import { partial } from "../presence/live.tsx";
import { findUser } from "../users/service.ts";
import { runningVoice, voiceOf, type Voice } from "./service.ts";
import type { Participant } from "./state.ts";

export const roomTopic = (channelId: string) => `voice:room:${channelId}`;

export function send(ws: ServerWebSocket<SocketData>, frame: Record<string, unknown>): void {
  ws.send(JSON.stringify(frame));
}

function nameOf(core: Core, p: Participant): { user: NonNullable<ReturnType<typeof findUser>>; name: string } | null {
  const user = findUser(core, p.userId);
  if (!user) return null;
  const nick = p.guildId ? guildAccess(core, p.userId, p.guildId)?.member.nick : null;
  return { user, name: nick ?? user.displayName ?? user.username };
}

/** Discord's voice state object. */
export function voiceStateJson(p: Participant, channelId: string | null) {
  return {
    guild_id: p.guildId ?? undefined,
    channel_id: channelId,
    user_id: p.userId,
    session_id: p.peerId,
    deaf: p.serverDeaf,
    mute: p.serverMute,
    self_deaf: p.selfDeaf,
    self_mute: p.selfMute,
    self_video: p.video,
    self_stream: p.stream,
    suppress: !p.grants.speak,
    request_to_speak_timestamp: null,
  };
}

export function memberViews(v: Voice, channelId: string): VoiceMemberView[] {
  return v.states.inChannel(channelId).flatMap((p) => {
    const who = nameOf(v.core, p);
    if (!who) return [];
    return [{ ...who, muted: p.selfMute || p.serverMute || !p.grants.speak, deafened: p.selfDeaf || p.serverDeaf, byServer: p.serverMute || p.serverDeaf, video: p.video, stream: p.stream, speaking: p.speaking }];
  });
}

/** Who is in each of these voice channels now, for a sidebar being rendered. */
export function sidebarVoice(core: Core, channels: { id: string; type: number }[]): Map<string, VoiceMemberView[]> {
  const v = voiceOf(core);
  return new Map(channels.filter((c) => c.type === 2).map((c) => [c.id, memberViews(v, c.id)]));
}

/** The sidebar list of one voice channel as it is now. */
export function voiceMembersHtml(v: Voice, channelId: string): string {
  return (<VoiceMembers channelId={channelId} members={memberViews(v, channelId)} />).toString();
}

/**
 * Tell everyone about a participant's state in `channelId` (null = they left it). A speaking
 * change is not a voice state change for the gateway (Discord sends it on the voice connection),
 * so JSON clients are not told.
 */
export function announce(v: Voice, p: Participant, channelId: string | null, speakingOnly = false): void {
  const core = v.core;
  const room = channelId ?? p.channelId;
  const html = partial(`#voice-members-${room}`, "outerHTML", voiceMembersHtml(v, room));
  core.hub.publish(Topic.sidebar(room), html);
  core.hub.publish(Topic.channelHtml(room), html);
  const roster = memberViews(v, room).map((m) => {
    const s = v.states.ofUser(m.user.id)!;
    return { user: m.user.id, name: m.name, avatar: m.user.avatar, muted: m.muted, deafened: m.deafened, video: m.video, stream: m.stream, speaking: m.speaking, priority: s.grants.priority };
  });
  core.hub.publish(roomTopic(room), JSON.stringify({ v: "room", channel: room, members: roster }));
  if (speakingOnly) return;
  const topic = p.guildId ? JsonTopic.guild(p.guildId) : JsonTopic.channel(p.channelId);
  core.hub.gateway?.dispatch(topic, "VOICE_STATE_UPDATE", voiceStateJson(p, channelId));
}

// Discord's GUILD_CREATE carries who is in the server's voice channels (those the reader can see).
addGuildCreateFields((core, guildId, visible) => {
  const v = runningVoice(core);
  const states = v ? [...v.states.all()].filter((p) => p.guildId === guildId && visible.has(p.channelId)) : [];
  return { voice_states: states.map((p) => voiceStateJson(p, p.channelId)) };
});
