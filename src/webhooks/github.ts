// GitHub's webhook events formatted into embeds (push, pull_request, issues, release), the way a
// channel wants to read them; other events (and `ping`) post nothing. The event comes from the
// X-GitHub-Event header; the repository's webhook must send application/json.
import { z } from "zod";
import type { EmbedInput } from "../embeds/schema.ts";

const user = z.looseObject({ login: z.string().max(100), html_url: z.string().max(2048).optional(), avatar_url: z.string().max(2048).optional() });
const repo = z.looseObject({ full_name: z.string().max(200), html_url: z.string().max(2048) });
const base = z.looseObject({ repository: repo, sender: user });

const push = base.extend({
  ref: z.string().max(300),
  compare: z.string().max(2048).optional(),
  forced: z.boolean().optional(),
  commits: z.array(z.looseObject({ id: z.string().max(64), message: z.string().max(100_000), url: z.string().max(2048), author: z.looseObject({ name: z.string().max(200), username: z.string().max(100).optional() }) })).max(2048),
});
const item = z.looseObject({ number: z.number().int(), title: z.string().max(1000), html_url: z.string().max(2048), body: z.string().max(100_000).nullish(), merged: z.boolean().optional() });
const pullRequest = base.extend({ action: z.string().max(50), pull_request: item });
const issues = base.extend({ action: z.string().max(50), issue: item });
const release = base.extend({ action: z.string().max(50), release: z.looseObject({ tag_name: z.string().max(300), name: z.string().max(300).nullish(), html_url: z.string().max(2048), body: z.string().max(100_000).nullish() }) });

const COLORS = { push: 0x7289da, open: 0x2cbe4e, closed: 0xcb2431, merged: 0x6f42c1, release: 0x0366d6, other: 0x586069 };
const http = (u: string | undefined) => (u && /^https?:\/\//.test(u) && URL.canParse(u) ? u : undefined);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const author = (s: z.infer<typeof user>) => ({ name: s.login, url: http(s.html_url), icon_url: http(s.avatar_url) });
const prune = (e: EmbedInput) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as EmbedInput;

export class GithubPayloadError extends Error {}

/** The embed for one event, null for events that post nothing. Throws GithubPayloadError on a malformed payload. */
export function fromGithub(event: string, body: unknown): EmbedInput | null {
  const parse = <T extends z.ZodType>(schema: T): z.infer<T> => {
    const r = schema.safeParse(body);
    if (!r.success) throw new GithubPayloadError(`Not a GitHub ${event} payload: ${r.error.issues[0]?.path.join(".")} ${r.error.issues[0]?.message}`);
    return r.data;
  };
  switch (event) {
    case "push": {
      const p = parse(push);
      const branch = p.ref.replace(/^refs\/(heads|tags)\//, "");
      if (p.commits.length === 0) return null;
      const lines = p.commits.slice(0, 10).map((c) => `[\`${c.id.slice(0, 7)}\`](${http(c.url) ?? p.repository.html_url}) ${cut(c.message.split("\n")[0]!, 80)} - ${c.author.username ?? c.author.name}`);
      if (p.commits.length > 10) lines.push(`… +${p.commits.length - 10}`);
      return prune({ title: cut(`[${p.repository.full_name}:${branch}] ${p.commits.length} new commit${p.commits.length === 1 ? "" : "s"}${p.forced ? " (forced)" : ""}`, 256), url: http(p.compare), description: cut(lines.join("\n"), 4096), color: COLORS.push, author: author(p.sender) });
    }
    case "pull_request": {
      const p = parse(pullRequest);
      if (!["opened", "closed", "reopened", "ready_for_review"].includes(p.action)) return null;
      const merged = p.action === "closed" && p.pull_request.merged;
      const verb = merged ? "merged" : p.action.replace(/_/g, " ");
      return prune({
        title: cut(`[${p.repository.full_name}] Pull request ${verb}: #${p.pull_request.number} ${p.pull_request.title}`, 256),
        url: http(p.pull_request.html_url),
        description: p.action === "opened" && p.pull_request.body ? cut(p.pull_request.body, 500) : undefined,
        color: merged ? COLORS.merged : p.action === "closed" ? COLORS.closed : COLORS.open,
        author: author(p.sender),
      });
    }
    case "issues": {
      const p = parse(issues);
      if (!["opened", "closed", "reopened"].includes(p.action)) return null;
      return prune({
        title: cut(`[${p.repository.full_name}] Issue ${p.action}: #${p.issue.number} ${p.issue.title}`, 256),
        url: http(p.issue.html_url),
        description: p.action === "opened" && p.issue.body ? cut(p.issue.body, 500) : undefined,
        color: p.action === "closed" ? COLORS.closed : COLORS.open,
        author: author(p.sender),
      });
    }
    case "release": {
      const p = parse(release);
      if (p.action !== "published") return null;
      return prune({ title: cut(`[${p.repository.full_name}] New release published: ${p.release.name || p.release.tag_name}`, 256), url: http(p.release.html_url), description: p.release.body ? cut(p.release.body, 1000) : undefined, color: COLORS.release, author: author(p.sender) });
    }
    default:
      return null;
  }
}
