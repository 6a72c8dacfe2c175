import type { Components } from "../../src/interactions/components.ts";

const STYLES = ["", "primary", "secondary", "success", "danger", "link"];

function Label(props: { label?: string; emoji?: { id?: string | null; name?: string | null } }) {
  // Labels come from applications: text only, inside hx-ignore like every user content.
  return (
    <span hx-ignore="">
      {props.emoji?.name && !props.emoji.id ? `${props.emoji.name} ` : null}
      {props.label ?? (props.emoji?.id ? `:${props.emoji.name ?? "emoji"}:` : null)}
    </span>
  );
}

/**
 * Buttons and select menus under a message, rendered once for every viewer. A click posts the
 * component's custom_id; the server turns it into an interaction for the owning application (or
 * counts a poll vote) and the answer arrives as a message update like any other.
 */
export function MessageComponents(props: { channelId: string; messageId: string; components: Components }) {
  if (props.components.length === 0) return null;
  const action = `/channels/${props.channelId}/messages/${props.messageId}/components`;
  return (
    <div class="message-components">
      {props.components.map((row) => (
        <div class="component-row">
          {row.components.map((c) => {
            if (c.type === 2 && c.style === 5)
              return (
                <a class="component-button style-link" href={c.disabled ? undefined : c.url} target="_blank" rel="noopener noreferrer nofollow" aria-disabled={c.disabled ? "true" : undefined}>
                  <Label label={c.label} emoji={c.emoji} /> ↗
                </a>
              );
            if (c.type === 2)
              return (
                <form method="post" action={action} hx-post={action} hx-swap="none" class="component-form">
                  <input type="hidden" name="custom_id" value={c.custom_id} />
                  <button type="submit" class={`component-button style-${STYLES[c.style]}`} disabled={c.disabled}>
                    <Label label={c.label} emoji={c.emoji} />
                  </button>
                </form>
              );
            const multiple = (c.max_values ?? 1) > 1;
            return (
              <form method="post" action={action} hx-post={action} hx-trigger="change" hx-swap="none" class="component-form">
                <input type="hidden" name="custom_id" value={c.custom_id} />
                <select name="values" class="component-select" multiple={multiple} disabled={c.disabled} aria-label={c.placeholder ?? c.custom_id}>
                  {multiple ? null : (
                    <option value="" selected={!c.options.some((o) => o.default)} disabled>
                      {c.placeholder ?? "…"}
                    </option>
                  )}
                  {c.options.map((o) => (
                    <option value={o.value} selected={o.default}>
                      {o.emoji?.name && !o.emoji.id ? `${o.emoji.name} ` : ""}
                      {o.label}
                    </option>
                  ))}
                </select>
              </form>
            );
          })}
        </div>
      ))}
    </div>
  );
}
