// Committed thread changes, told to whoever listens (live.tsx publishes them to the hub), so the
// services never import views or the hub's users.
import type { Core } from "../core.ts";
import type { Channel } from "../guilds/table.ts";

export type ThreadEvent =
  | { type: "create" | "update"; thread: Channel }
  | { type: "delete"; thread: Channel; starterMessageId: string | null }
  | { type: "members"; thread: Channel; added: string[]; removed: string[] }
  /** Its message count changed: the parent's "N replies" summary is stale. */
  | { type: "activity"; thread: Channel };

type Listener = (core: Core, event: ThreadEvent) => void;
const listeners: Listener[] = [];

export function onThreadEvent(listener: Listener): void {
  listeners.push(listener);
}

export function emitThreadEvent(core: Core, event: ThreadEvent): void {
  for (const l of listeners) {
    try {
      l(core, event);
    } catch (err) {
      core.logger.error("thread listener failed", { err });
    }
  }
}
