import { describe, expect, test } from "bun:test";
import {
  ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, PERMISSION_INFO, Permission as P, basePermissions, canGrant,
  canManageMember, canManageRole, channelPermissions, fromNames, has, highestPosition, parseBitfield, toNames,
  type MemberContext, type Overwrite, type PermissionName, type RankedRole, type RoleLike,
} from "./permissions.ts";

const GUILD = "guild-1";
const OWNER = "olga";
const or = (...bits: bigint[]) => bits.reduce((a, b) => a | b, 0n);
const without = (perms: bigint, ...bits: bigint[]) => perms & ~or(...bits);
const role = (id: string, ...bits: bigint[]): RoleLike => ({ id, permissions: or(...bits) });
const ow = {
  everyone: (allow = 0n, deny = 0n): Overwrite => ({ id: GUILD, type: 0, allow, deny }),
  role: (id: string, allow = 0n, deny = 0n): Overwrite => ({ id, type: 0, allow, deny }),
  member: (id: string, allow = 0n, deny = 0n): Overwrite => ({ id, type: 1, allow, deny }),
};
// Text-channel base without the permissions that SEND_MESSAGES implicitly gates,
// so each case shows exactly what it changes.
const BASE = or(P.VIEW_CHANNEL, P.SEND_MESSAGES, P.ADD_REACTIONS, P.READ_MESSAGE_HISTORY);

function member(opts: { userId?: string; everyone?: bigint; roles?: RoleLike[] } = {}): MemberContext {
  return {
    userId: opts.userId ?? "alice",
    guildId: GUILD,
    ownerId: OWNER,
    everyone: { id: GUILD, permissions: opts.everyone ?? BASE },
    roles: opts.roles ?? [],
  };
}

// Diffs show the names while equality still covers every raw bit.
const named = (bits: bigint) => ({ bits, names: toNames(bits) });

type ChannelCase = { name: string; member: MemberContext; overwrites?: Overwrite[]; channelType?: number; want: bigint };
function checkChannelCases(cases: ChannelCase[]) {
  for (const { name, member: m, overwrites = [], channelType, want } of cases) {
    const got = channelPermissions(m, overwrites, channelType);
    expect({ name, got: named(got) }).toEqual({ name, got: named(want) });
  }
}

describe("permission constants", () => {
  test("bit values match Discord API v10", () => {
    const cases: [PermissionName, bigint][] = [
      ["CREATE_INSTANT_INVITE", 1n], ["ADMINISTRATOR", 8n], ["VIEW_CHANNEL", 1024n], ["SEND_MESSAGES", 2048n],
      ["CONNECT", 1n << 20n], ["MANAGE_GUILD_EXPRESSIONS", 1n << 30n], ["MODERATE_MEMBERS", 1n << 40n],
      ["PIN_MESSAGES", 1n << 51n],
    ];
    for (const [name, want] of cases) expect({ name, got: P[name] }).toEqual({ name, got: want });
  });

  test("every permission is a distinct single bit and ALL_PERMISSIONS is their union", () => {
    const values = Object.values(P);
    expect(values.every((v) => v > 0n && (v & (v - 1n)) === 0n)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    expect(ALL_PERMISSIONS).toBe(or(...values));
    expect(toNames(ALL_PERMISSIONS).length).toBe(37);
  });

  test("the default @everyone role can talk and join voice but moderate nothing", () => {
    expect(toNames(DEFAULT_EVERYONE_PERMISSIONS).sort()).toEqual([
      "ADD_REACTIONS", "ATTACH_FILES", "CHANGE_NICKNAME", "CONNECT", "CREATE_INSTANT_INVITE", "CREATE_PUBLIC_THREADS",
      "EMBED_LINKS", "READ_MESSAGE_HISTORY", "SEND_MESSAGES", "SEND_MESSAGES_IN_THREADS", "SPEAK", "STREAM",
      "USE_APPLICATION_COMMANDS", "USE_EXTERNAL_EMOJIS", "USE_VAD", "VIEW_CHANNEL",
    ]);
  });

  test("the editor list names every permission once and marks server-only ones", () => {
    const names = PERMISSION_INFO.map((i) => i.name);
    expect([...names].sort()).toEqual(toNames(ALL_PERMISSIONS).sort());
    expect(PERMISSION_INFO.filter((i) => i.scope === "server").map((i) => i.name).sort()).toEqual([
      "ADMINISTRATOR", "BAN_MEMBERS", "CHANGE_NICKNAME", "KICK_MEMBERS", "MANAGE_GUILD", "MANAGE_GUILD_EXPRESSIONS",
      "MANAGE_NICKNAMES", "MODERATE_MEMBERS", "VIEW_AUDIT_LOG",
    ]);
    expect(Object.isFrozen(PERMISSION_INFO)).toBe(true);
  });
});

describe("bitfield helpers", () => {
  test("has requires every bit of the asked permission", () => {
    const cases: [string, bigint, bigint, boolean][] = [
      ["single bit present", BASE, P.VIEW_CHANNEL, true],
      ["single bit absent", BASE, P.MANAGE_GUILD, false],
      ["all of several bits present", BASE, or(P.VIEW_CHANNEL, P.SEND_MESSAGES), true],
      ["one of several bits absent", BASE, or(P.VIEW_CHANNEL, P.KICK_MEMBERS), false],
      ["nothing asked", 0n, 0n, true],
    ];
    for (const [name, perms, p, want] of cases) expect({ name, got: has(perms, p) }).toEqual({ name, got: want });
  });

  test("parseBitfield rejects anything that is not a plain non-negative integer below 2^63", () => {
    const bad: unknown[] = [
      "", "-1", "1e3", "0x10", "99999999999999999999", "9223372036854775808", "123456789012345678901", "12 ", " 12",
      "+12", "1_000", "1.0", "١٢", 1.5, -1, NaN, Infinity, 2 ** 53, 1n, true, null, undefined, {}, [], ["8"],
    ];
    for (const input of bad) {
      const name = typeof input === "bigint" ? `${input}n` : typeof input === "number" ? String(input) : JSON.stringify(input) ?? String(input);
      expect({ name, got: parseBitfield(input) }).toEqual({ name, got: null });
    }
  });

  test("parseBitfield accepts decimal strings and safe integers", () => {
    const good: [unknown, bigint][] = [
      ["0", 0n], ["1024", 1024n], ["007", 7n], ["9223372036854775807", (1n << 63n) - 1n],
      ["00000000000000000001", 1n], [0, 0n], [8, 8n], [Number.MAX_SAFE_INTEGER, 2n ** 53n - 1n],
    ];
    for (const [input, want] of good) {
      const name = JSON.stringify(input);
      expect({ name, got: parseBitfield(input) }).toEqual({ name, got: want });
    }
  });

  test("toNames and fromNames round-trip every known permission set", () => {
    const sets: [string, bigint][] = [
      ["nothing", 0n], ["everything", ALL_PERMISSIONS], ["default @everyone", DEFAULT_EVERYONE_PERMISSIONS],
      ...Object.entries(P).map(([n, v]): [string, bigint] => [n, v]),
    ];
    for (const [name, perms] of sets) expect({ name, got: fromNames(toNames(perms)) }).toEqual({ name, got: perms });
  });

  test("toNames lists names in bit order and drops bits that have no name", () => {
    expect(toNames(or(P.SEND_MESSAGES, P.ADMINISTRATOR, 1n << 19n, 1n << 62n))).toEqual(["ADMINISTRATOR", "SEND_MESSAGES"]);
  });

  test("fromNames ignores unknown names, including inherited object keys", () => {
    expect(fromNames(["VIEW_CHANNEL", "view_channel", "toString", "__proto__", "constructor", "NOPE", ""])).toBe(P.VIEW_CHANNEL);
  });
});

describe("base permissions", () => {
  test("base is the OR of @everyone and the member's roles, except for owners and administrators", () => {
    const cases: [string, MemberContext, bigint][] = [
      ["no roles gives @everyone", member(), BASE],
      ["roles add to @everyone", member({ roles: [role("mod", P.KICK_MEMBERS), role("dj", P.PRIORITY_SPEAKER)] }), or(BASE, P.KICK_MEMBERS, P.PRIORITY_SPEAKER)],
      ["an empty role adds nothing", member({ roles: [role("empty")] }), BASE],
      ["a role cannot remove what @everyone gives", member({ everyone: P.VIEW_CHANNEL, roles: [role("x", 0n)] }), P.VIEW_CHANNEL],
      ["ADMINISTRATOR on a role gives everything", member({ roles: [role("admin", P.ADMINISTRATOR)] }), ALL_PERMISSIONS],
      ["ADMINISTRATOR on @everyone gives everything", member({ everyone: P.ADMINISTRATOR }), ALL_PERMISSIONS],
      ["the owner gets everything with no permissions at all", member({ userId: OWNER, everyone: 0n }), ALL_PERMISSIONS],
    ];
    for (const [name, m, want] of cases) expect({ name, got: named(basePermissions(m)) }).toEqual({ name, got: named(want) });
  });
});

describe("channel permissions", () => {
  test("the owner gets every permission and overwrites are ignored", () => {
    const owner = member({ userId: OWNER, everyone: 0n });
    checkChannelCases([
      { name: "denied everything on @everyone", member: owner, overwrites: [ow.everyone(0n, ALL_PERMISSIONS)], want: ALL_PERMISSIONS },
      { name: "denied VIEW_CHANNEL personally", member: owner, overwrites: [ow.member(OWNER, 0n, P.VIEW_CHANNEL)], want: ALL_PERMISSIONS },
      { name: "denied CONNECT in voice", member: owner, overwrites: [ow.everyone(0n, P.CONNECT)], channelType: 2, want: ALL_PERMISSIONS },
    ]);
  });

  test("administrators get every permission and channel denies are ignored", () => {
    const admin = member({ roles: [role("admin", P.ADMINISTRATOR)] });
    checkChannelCases([
      { name: "@everyone denies VIEW_CHANNEL", member: admin, overwrites: [ow.everyone(0n, P.VIEW_CHANNEL)], want: ALL_PERMISSIONS },
      { name: "their role denies everything", member: admin, overwrites: [ow.role("admin", 0n, ALL_PERMISSIONS)], want: ALL_PERMISSIONS },
      { name: "their member overwrite denies SEND_MESSAGES", member: admin, overwrites: [ow.member("alice", 0n, P.SEND_MESSAGES)], want: ALL_PERMISSIONS },
    ]);
  });

  test("the @everyone overwrite applies its deny first and its allow second", () => {
    checkChannelCases([
      { name: "no overwrites keep the base", member: member(), want: BASE },
      { name: "deny removes a base permission", member: member(), overwrites: [ow.everyone(0n, P.ADD_REACTIONS)], want: without(BASE, P.ADD_REACTIONS) },
      { name: "allow adds a permission", member: member(), overwrites: [ow.everyone(P.MANAGE_MESSAGES)], want: or(BASE, P.MANAGE_MESSAGES) },
      { name: "allow wins when a bit is both allowed and denied", member: member(), overwrites: [ow.everyone(P.ADD_REACTIONS, P.ADD_REACTIONS)], want: BASE },
      { name: "deny also removes what a role gave", member: member({ roles: [role("r", P.PIN_MESSAGES)] }), overwrites: [ow.everyone(0n, P.PIN_MESSAGES)], want: BASE },
      { name: "a member-type overwrite with the guild id is not the @everyone overwrite", member: member(), overwrites: [ow.member(GUILD, 0n, P.ADD_REACTIONS)], want: BASE },
    ]);
  });

  test("role overwrites are combined, so an allow on one role beats a deny on another", () => {
    const m = member({ roles: [role("a"), role("b")] });
    checkChannelCases([
      { name: "allow on a beats deny on b", member: m, overwrites: [ow.role("b", 0n, P.ADD_REACTIONS), ow.role("a", P.ADD_REACTIONS)], want: BASE },
      { name: "deny on both roles removes", member: m, overwrites: [ow.role("a", 0n, P.ADD_REACTIONS), ow.role("b", 0n, P.ADD_REACTIONS)], want: without(BASE, P.ADD_REACTIONS) },
      { name: "role allow beats @everyone deny", member: m, overwrites: [ow.everyone(0n, P.ADD_REACTIONS), ow.role("a", P.ADD_REACTIONS)], want: BASE },
      { name: "role deny beats @everyone allow", member: m, overwrites: [ow.everyone(P.MANAGE_MESSAGES), ow.role("a", 0n, P.MANAGE_MESSAGES)], want: BASE },
      { name: "allows from several roles add up", member: m, overwrites: [ow.role("a", P.MANAGE_MESSAGES), ow.role("b", P.PIN_MESSAGES)], want: or(BASE, P.MANAGE_MESSAGES, P.PIN_MESSAGES) },
    ]);
  });

  test("the member overwrite beats role overwrites in both directions", () => {
    const m = member({ roles: [role("a")] });
    checkChannelCases([
      { name: "member allow beats role deny", member: m, overwrites: [ow.role("a", 0n, P.ADD_REACTIONS), ow.member("alice", P.ADD_REACTIONS)], want: BASE },
      { name: "member deny beats role allow", member: m, overwrites: [ow.role("a", P.MANAGE_MESSAGES), ow.member("alice", 0n, P.MANAGE_MESSAGES)], want: BASE },
      { name: "member deny beats @everyone allow", member: m, overwrites: [ow.everyone(P.PIN_MESSAGES), ow.member("alice", 0n, P.PIN_MESSAGES)], want: BASE },
    ]);
  });

  test("overwrites for roles the member does not hold or for other members are ignored", () => {
    const m = member({ roles: [role("a")] });
    checkChannelCases([
      { name: "deny on a role not held", member: m, overwrites: [ow.role("other", 0n, P.VIEW_CHANNEL)], want: BASE },
      { name: "allow on a role not held", member: m, overwrites: [ow.role("other", P.MANAGE_MESSAGES)], want: BASE },
      { name: "deny for another member", member: m, overwrites: [ow.member("bob", 0n, P.VIEW_CHANNEL)], want: BASE },
      { name: "member-type overwrite whose id is a held role", member: m, overwrites: [ow.member("a", P.MANAGE_MESSAGES)], want: BASE },
    ]);
  });

  test("without VIEW_CHANNEL the result is 0 whatever else is allowed", () => {
    const m = member({ roles: [role("a")] });
    checkChannelCases([
      { name: "@everyone deny, role allows other things", member: m, overwrites: [ow.everyone(0n, P.VIEW_CHANNEL), ow.role("a", P.MANAGE_MESSAGES)], want: 0n },
      { name: "base lacks it, overwrites allow others", member: member({ everyone: P.SEND_MESSAGES }), overwrites: [ow.everyone(P.ADD_REACTIONS)], want: 0n },
      { name: "member deny beats role allow of VIEW_CHANNEL", member: m, overwrites: [ow.role("a", P.VIEW_CHANNEL), ow.member("alice", P.SEND_MESSAGES, P.VIEW_CHANNEL)], want: 0n },
      { name: "private channel opened to a role is visible", member: m, overwrites: [ow.everyone(0n, P.VIEW_CHANNEL), ow.role("a", P.VIEW_CHANNEL)], want: BASE },
    ]);
  });

  test("text channels drop SEND_MESSAGES-dependent permissions when SEND_MESSAGES is missing", () => {
    const gated = or(P.MENTION_EVERYONE, P.SEND_TTS_MESSAGES, P.ATTACH_FILES, P.EMBED_LINKS);
    const m = member({ everyone: or(BASE, gated) });
    const mute = [ow.everyone(0n, P.SEND_MESSAGES)];
    const left = without(BASE, P.SEND_MESSAGES);
    checkChannelCases([
      { name: "text channel", member: m, overwrites: mute, channelType: 0, want: left },
      { name: "unspecified channel type counts as text", member: m, overwrites: mute, want: left },
      { name: "with SEND_MESSAGES they stay", member: m, channelType: 0, want: or(BASE, gated) },
      { name: "voice channels keep them", member: m, overwrites: mute, channelType: 2, want: without(or(BASE, gated), P.SEND_MESSAGES) },
    ]);
  });

  test("voice channels drop CONNECT-dependent permissions when CONNECT is missing", () => {
    const gated = or(P.SPEAK, P.MUTE_MEMBERS, P.DEAFEN_MEMBERS, P.MOVE_MEMBERS, P.USE_VAD, P.PRIORITY_SPEAKER, P.STREAM);
    const m = member({ everyone: or(BASE, P.CONNECT, gated) });
    const noConnect = [ow.everyone(0n, P.CONNECT)];
    checkChannelCases([
      { name: "voice channel", member: m, overwrites: noConnect, channelType: 2, want: BASE },
      { name: "with CONNECT they stay", member: m, channelType: 2, want: or(BASE, P.CONNECT, gated) },
      { name: "text channels keep them", member: m, overwrites: noConnect, channelType: 0, want: or(BASE, gated) },
    ]);
  });

  test("the order of overwrites and duplicated rows do not change the result", () => {
    const m = member({ roles: [role("a", P.MANAGE_MESSAGES), role("b")] });
    const overwrites = [
      ow.everyone(P.PIN_MESSAGES, P.ADD_REACTIONS),
      ow.everyone(P.EMBED_LINKS, P.READ_MESSAGE_HISTORY),
      ow.role("a", P.ADD_REACTIONS, P.MANAGE_MESSAGES),
      ow.role("b", P.MANAGE_MESSAGES, P.PIN_MESSAGES),
      ow.role("other", 0n, P.VIEW_CHANNEL),
      ow.member("alice", P.READ_MESSAGE_HISTORY, P.EMBED_LINKS),
      ow.member("bob", 0n, P.VIEW_CHANNEL),
    ];
    const want = channelPermissions(m, overwrites);
    expect(named(want)).toEqual(named(or(BASE, P.MANAGE_MESSAGES)));
    // Seeded so that a failing permutation can be reproduced.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200; i++) {
      const rows = i % 2 === 0 ? [...overwrites] : [...overwrites, ...overwrites.filter(() => random() < 0.5)];
      for (let j = rows.length - 1; j > 0; j--) {
        const k = Math.floor(random() * (j + 1));
        [rows[j], rows[k]] = [rows[k] as Overwrite, rows[j] as Overwrite];
      }
      const name = `permutation ${i}: ${rows.map((o) => `${o.type}:${o.id}`).join(",")}`;
      expect({ name, got: named(channelPermissions(m, rows)) }).toEqual({ name, got: named(want) });
    }
  });
});

describe("role hierarchy", () => {
  const r = (id: string, position: number): RankedRole => ({ id, position, permissions: 0n });
  const mod = r("mod", 5);
  const helper = r("helper", 3);
  const alice = { userId: "alice", isOwner: false, roles: [helper, mod] };

  test("highestPosition is -1 without roles and otherwise the top position", () => {
    expect(highestPosition([])).toBe(-1);
    expect(highestPosition([helper, mod, r("low", 1)])).toBe(5);
  });

  test("a role can be managed only from strictly above it, or by the owner", () => {
    const cases: [string, Parameters<typeof canManageRole>[0], RankedRole, boolean][] = [
      ["lower role", alice, r("low", 4), true],
      ["equal position", alice, r("peer", 5), false],
      ["own top role", alice, mod, false],
      ["higher role", alice, r("admin", 9), false],
      ["no roles cannot manage even position 1", { isOwner: false, roles: [] }, r("low", 1), false],
      ["owner without roles manages the top role", { isOwner: true, roles: [] }, r("admin", 9), true],
    ];
    for (const [name, actor, target, want] of cases) expect({ name, got: canManageRole(actor, target) }).toEqual({ name, got: want });
  });

  test("a member can be managed only from a strictly higher role, never the owner, never yourself", () => {
    const owner = { userId: OWNER, isOwner: true, roles: [] };
    const bob = (roles: RankedRole[]) => ({ userId: "bob", isOwner: false, roles });
    const cases: [string, Parameters<typeof canManageMember>[0], Parameters<typeof canManageMember>[1], boolean][] = [
      ["higher manages lower", alice, bob([helper]), true],
      ["higher manages a member without roles", alice, bob([]), true],
      ["equal top position cannot", alice, bob([r("peer", 5)]), false],
      ["lower cannot manage higher", bob([helper]), alice, false],
      ["two members without roles cannot", { ...bob([]), userId: "carol" }, bob([]), false],
      ["the owner manages anyone else", owner, alice, true],
      ["nobody manages the owner", { ...alice, roles: [r("top", 99)] }, owner, false],
      ["the owner does not manage themself", owner, owner, false],
      ["a member does not manage themself", alice, alice, false],
      ["a member does not manage themself even from a higher role", alice, { ...alice, roles: [] }, false],
    ];
    for (const [name, actor, target, want] of cases) expect({ name, got: canManageMember(actor, target) }).toEqual({ name, got: want });
  });

  test("canGrant only allows giving permissions the actor has, unless owner or administrator", () => {
    const manager = or(P.MANAGE_ROLES, P.KICK_MEMBERS, BASE);
    const cases: [string, bigint, bigint, boolean, boolean][] = [
      ["subset of own permissions", manager, or(P.KICK_MEMBERS, P.SEND_MESSAGES), false, true],
      ["nothing", manager, 0n, false, true],
      ["ADMINISTRATOR without having it", manager, P.ADMINISTRATOR, false, false],
      ["one bit beyond own permissions", manager, or(P.KICK_MEMBERS, P.BAN_MEMBERS), false, false],
      ["administrator grants anything", P.ADMINISTRATOR, ALL_PERMISSIONS, false, true],
      ["owner grants anything with no permissions", 0n, ALL_PERMISSIONS, true, true],
    ];
    for (const [name, perms, requested, isOwner, want] of cases) {
      expect({ name, got: canGrant(perms, requested, isOwner) }).toEqual({ name, got: want });
    }
  });
});
