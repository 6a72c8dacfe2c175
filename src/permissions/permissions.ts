/**
 * Permission model. Bit positions and resolution rules mirror Discord API v10 so
 * bitfields stay interchangeable with Discord-compatible clients and bots, and so
 * the documented Discord semantics can serve as our specification.
 * Kept free of imports and I/O so the server and the browser bundle share it.
 */

export const Permission = {
  CREATE_INSTANT_INVITE: 1n << 0n,
  KICK_MEMBERS: 1n << 1n,
  BAN_MEMBERS: 1n << 2n,
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  ADD_REACTIONS: 1n << 6n,
  VIEW_AUDIT_LOG: 1n << 7n,
  PRIORITY_SPEAKER: 1n << 8n,
  STREAM: 1n << 9n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  SEND_TTS_MESSAGES: 1n << 12n,
  MANAGE_MESSAGES: 1n << 13n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  // Gaps (19, 32, 33, 37, 39, ...) are Discord features we do not implement;
  // the positions stay reserved so that the remaining bits keep Discord's values.
  CONNECT: 1n << 20n,
  SPEAK: 1n << 21n,
  MUTE_MEMBERS: 1n << 22n,
  DEAFEN_MEMBERS: 1n << 23n,
  MOVE_MEMBERS: 1n << 24n,
  USE_VAD: 1n << 25n,
  CHANGE_NICKNAME: 1n << 26n,
  MANAGE_NICKNAMES: 1n << 27n,
  MANAGE_ROLES: 1n << 28n,
  MANAGE_WEBHOOKS: 1n << 29n,
  MANAGE_GUILD_EXPRESSIONS: 1n << 30n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  MANAGE_THREADS: 1n << 34n,
  CREATE_PUBLIC_THREADS: 1n << 35n,
  CREATE_PRIVATE_THREADS: 1n << 36n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
  MODERATE_MEMBERS: 1n << 40n,
  PIN_MESSAGES: 1n << 51n,
} as const;

export type PermissionName = keyof typeof Permission;

const P = Permission;
const NAMES = Object.keys(Permission) as PermissionName[];
const union = (bits: readonly bigint[]): bigint => bits.reduce((acc, b) => acc | b, 0n);

export const ALL_PERMISSIONS: bigint = union(NAMES.map((n) => P[n]));

export const DEFAULT_EVERYONE_PERMISSIONS: bigint = union([
  P.VIEW_CHANNEL,
  P.CREATE_INSTANT_INVITE,
  P.CHANGE_NICKNAME,
  P.SEND_MESSAGES,
  P.SEND_MESSAGES_IN_THREADS,
  P.CREATE_PUBLIC_THREADS,
  P.EMBED_LINKS,
  P.ATTACH_FILES,
  P.ADD_REACTIONS,
  P.USE_EXTERNAL_EMOJIS,
  P.READ_MESSAGE_HISTORY,
  P.CONNECT,
  P.SPEAK,
  P.STREAM,
  P.USE_VAD,
  P.USE_APPLICATION_COMMANDS,
]);

export type PermissionGroup = "general" | "membership" | "text" | "voice" | "advanced";
/** "server": only meaningful on a role at server level; "channel": may also appear in overwrites. */
export type PermissionScope = "server" | "channel";
export interface PermissionInfo {
  readonly name: PermissionName;
  readonly group: PermissionGroup;
  readonly scope: PermissionScope;
}

// Discord rejects these in channel overwrites because they act on the server or
// on members, never on a single channel; editors must hide them there.
const SERVER_SCOPED: ReadonlySet<PermissionName> = new Set<PermissionName>([
  "KICK_MEMBERS",
  "BAN_MEMBERS",
  "ADMINISTRATOR",
  "MANAGE_GUILD",
  "VIEW_AUDIT_LOG",
  "MANAGE_NICKNAMES",
  "CHANGE_NICKNAME",
  "MODERATE_MEMBERS",
  "MANAGE_GUILD_EXPRESSIONS",
]);

// Order follows Discord's role editor, which users of Discord already know.
const EDITOR_LAYOUT: readonly (readonly [PermissionGroup, readonly PermissionName[]])[] = [
  ["general", ["VIEW_CHANNEL", "MANAGE_CHANNELS", "MANAGE_ROLES", "MANAGE_GUILD_EXPRESSIONS", "VIEW_AUDIT_LOG", "MANAGE_WEBHOOKS", "MANAGE_GUILD"]],
  ["membership", ["CREATE_INSTANT_INVITE", "CHANGE_NICKNAME", "MANAGE_NICKNAMES", "KICK_MEMBERS", "BAN_MEMBERS", "MODERATE_MEMBERS"]],
  ["text", [
    "SEND_MESSAGES", "SEND_MESSAGES_IN_THREADS", "CREATE_PUBLIC_THREADS", "CREATE_PRIVATE_THREADS", "EMBED_LINKS",
    "ATTACH_FILES", "ADD_REACTIONS", "USE_EXTERNAL_EMOJIS", "MENTION_EVERYONE", "MANAGE_MESSAGES", "PIN_MESSAGES",
    "MANAGE_THREADS", "READ_MESSAGE_HISTORY", "SEND_TTS_MESSAGES", "USE_APPLICATION_COMMANDS",
  ]],
  ["voice", ["CONNECT", "SPEAK", "STREAM", "USE_VAD", "PRIORITY_SPEAKER", "MUTE_MEMBERS", "DEAFEN_MEMBERS", "MOVE_MEMBERS"]],
  ["advanced", ["ADMINISTRATOR"]],
];

// Frozen because the list is shared module state that every editor reads.
export const PERMISSION_INFO: readonly PermissionInfo[] = Object.freeze(
  EDITOR_LAYOUT.flatMap(([group, names]) =>
    names.map((name): PermissionInfo => Object.freeze({ name, group, scope: SERVER_SCOPED.has(name) ? "server" : "channel" })),
  ),
);

export function has(perms: bigint, p: bigint): boolean {
  return (perms & p) === p;
}

// Discord serialises bitfields as decimal strings and its permission space is a
// signed 64-bit integer; anything outside that is rejected rather than clamped
// because this runs on untrusted request bodies.
const BITFIELD_LIMIT = 1n << 63n;
const DECIMAL = /^[0-9]{1,20}$/;

export function parseBitfield(value: unknown): bigint | null {
  if (typeof value === "string") {
    if (!DECIMAL.test(value)) return null;
    const bits = BigInt(value);
    return bits < BITFIELD_LIMIT ? bits : null;
  }
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return null;
}

/** Unknown bits are dropped: names exist only for permissions we implement. */
export function toNames(perms: bigint): PermissionName[] {
  return NAMES.filter((n) => has(perms, P[n]));
}

export function fromNames(names: readonly string[]): bigint {
  let perms = 0n;
  // Object.hasOwn keeps inherited keys such as "toString" from being read as a permission.
  for (const n of names) if (Object.hasOwn(Permission, n)) perms |= P[n as PermissionName];
  return perms;
}

export interface RoleLike {
  id: string;
  permissions: bigint;
}
/** type 0 = role, 1 = member. */
export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}
export interface MemberContext {
  userId: string;
  /** The @everyone role's id equals the guild id. */
  guildId: string;
  ownerId: string;
  everyone: RoleLike;
  /** The member's roles other than @everyone. */
  roles: readonly RoleLike[];
}

export function basePermissions(m: MemberContext): bigint {
  if (m.userId === m.ownerId) return ALL_PERMISSIONS;
  const perms = union([m.everyone.permissions, ...m.roles.map((r) => r.permissions)]);
  return has(perms, P.ADMINISTRATOR) ? ALL_PERMISSIONS : perms;
}

const TEXT_CHANNEL = 0;
const VOICE_CHANNEL = 2;
const NEEDS_SEND_MESSAGES = union([P.MENTION_EVERYONE, P.SEND_TTS_MESSAGES, P.ATTACH_FILES, P.EMBED_LINKS]);
const NEEDS_CONNECT = union([
  P.SPEAK, P.MUTE_MEMBERS, P.DEAFEN_MEMBERS, P.MOVE_MEMBERS, P.USE_VAD, P.PRIORITY_SPEAKER, P.STREAM,
]);

interface Phase {
  allow: bigint;
  deny: bigint;
}

export function channelPermissions(m: MemberContext, overwrites: readonly Overwrite[], channelType?: number): bigint {
  let perms = basePermissions(m);
  // Owner and administrators cannot be locked out of a channel by overwrites.
  if (has(perms, P.ADMINISTRATOR)) return ALL_PERMISSIONS;

  // Every phase is folded with OR before it is applied, so that duplicated rows
  // or any array order give the same answer; only the phase sequence matters.
  const held = new Set(m.roles.map((r) => r.id));
  const everyone: Phase = { allow: 0n, deny: 0n };
  const roles: Phase = { allow: 0n, deny: 0n };
  const member: Phase = { allow: 0n, deny: 0n };
  for (const o of overwrites) {
    const phase =
      o.type === 0 ? (o.id === m.guildId ? everyone : held.has(o.id) ? roles : null)
      : o.type === 1 && o.id === m.userId ? member
      : null;
    if (phase === null) continue;
    phase.allow |= o.allow;
    phase.deny |= o.deny;
  }
  for (const phase of [everyone, roles, member]) perms = (perms & ~phase.deny) | phase.allow;

  if (!has(perms, P.VIEW_CHANNEL)) return 0n;
  // Discord's implicit denials: these permissions are meaningless without the
  // one they depend on, and leaving them set would mislead permission checks.
  if ((channelType === undefined || channelType === TEXT_CHANNEL) && !has(perms, P.SEND_MESSAGES)) {
    perms &= ~NEEDS_SEND_MESSAGES;
  }
  if (channelType === VOICE_CHANNEL && !has(perms, P.CONNECT)) perms &= ~NEEDS_CONNECT;
  return perms;
}

export interface RankedRole {
  id: string;
  position: number;
  permissions: bigint;
}

/** -1 for no roles; @everyone sits at position 0 and is never passed in. */
export function highestPosition(roles: readonly RankedRole[]): number {
  return roles.reduce((top, r) => Math.max(top, r.position), -1);
}

export function canManageRole(actor: { isOwner: boolean; roles: readonly RankedRole[] }, target: RankedRole): boolean {
  // Strictly below: otherwise two peers could edit each other's role and escalate.
  return actor.isOwner || target.position < highestPosition(actor.roles);
}

export function canManageMember(
  actor: { userId: string; isOwner: boolean; roles: readonly RankedRole[] },
  target: { userId: string; isOwner: boolean; roles: readonly RankedRole[] },
): boolean {
  if (target.isOwner) return false;
  // Self-service goes through dedicated endpoints with their own rules (e.g. CHANGE_NICKNAME).
  if (actor.userId === target.userId) return false;
  if (actor.isOwner) return true;
  return highestPosition(actor.roles) > highestPosition(target.roles);
}

export function canGrant(actorPerms: bigint, requested: bigint, actorIsOwner: boolean): boolean {
  if (actorIsOwner || has(actorPerms, P.ADMINISTRATOR)) return true;
  return (requested & ~actorPerms) === 0n;
}
