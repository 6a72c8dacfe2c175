import type { Embed } from "../../src/embeds/service.ts";

/**
 * The embeds under a message (sent by a bot or fetched from a link), rendered once for every
 * viewer like the message itself: all text is escaped by JSX, links are http(s) only (checked on
 * the way in), images come through the same-origin proxy (never from a third party, no iframes),
 * and everything sits inside hx-ignore. The ✕ (author, or MANAGE_MESSAGES via the list's class)
 * sets Discord's SUPPRESS_EMBEDS flag.
 */
export function Embeds(props: { channelId: string; messageId: string; embeds: Embed[] }) {
  if (props.embeds.length === 0) return null;
  const action = `/channels/${props.channelId}/messages/${props.messageId}/suppress-embeds`;
  return (
    <div class="embeds" hx-ignore="">
      <form method="post" action={action} hx-post={action} hx-swap="none" class="embeds-remove own-or-manage">
        <button type="submit" class="link-button" aria-labelledby="label-suppress-embeds">
          ✕
        </button>
      </form>
      {props.embeds.map((e) => (
        <EmbedCard e={e} />
      ))}
    </div>
  );
}

/**
 * The size an image is shown at (within 400x300, as the CSS bounds it), from the dimensions
 * recorded when the preview was fetched: the page reserves the space before the image loads.
 */
function shown(m: { width?: number; height?: number }): { width?: number; height?: number } {
  if (!m.width || !m.height) return {};
  const scale = Math.min(1, 400 / m.width, 300 / m.height);
  return { width: Math.max(1, Math.round(m.width * scale)), height: Math.max(1, Math.round(m.height * scale)) };
}

const hex = (color: number | undefined) => (color === undefined ? undefined : `#${color.toString(16).padStart(6, "0")}`);
const link = (href: string | undefined, text: string) => (href ? <a href={href} rel="noopener noreferrer nofollow ugc" target="_blank">{text}</a> : text);

function EmbedCard(props: { e: Embed }) {
  const { e } = props;
  if (e.type === "image" && e.image?.proxy_url)
    return (
      <a class="embed embed-image-only" href={e.url ?? e.image.url} rel="noopener noreferrer nofollow ugc" target="_blank">
        <img src={e.image.proxy_url} alt="" loading="lazy" {...shown(e.image)} />
      </a>
    );
  return (
    <article class={`embed embed-${e.type}`} data-color={hex(e.color)}>
      <div class="embed-main">
        {e.provider?.name ? <p class="embed-provider small muted">{e.provider.name}</p> : null}
        {e.author ? (
          <p class="embed-author small">
            {e.author.proxy_icon_url ? <img src={e.author.proxy_icon_url} alt="" width={20} height={20} loading="lazy" /> : null}
            {link(e.author.url, e.author.name)}
          </p>
        ) : null}
        {e.title ? <p class="embed-title">{link(e.url, e.title)}</p> : null}
        {e.description ? <p class="embed-description">{e.description}</p> : null}
        {e.fields?.length ? (
          <dl class="embed-fields">
            {e.fields.map((f) => (
              <div class={f.inline ? "embed-field inline" : "embed-field"}>
                <dt>{f.name}</dt>
                <dd>{f.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {e.image?.proxy_url ? <img class="embed-image" src={e.image.proxy_url} alt="" loading="lazy" {...shown(e.image)} /> : null}
        {e.footer || e.timestamp ? (
          <p class="embed-footer small muted">
            {e.footer?.proxy_icon_url ? <img src={e.footer.proxy_icon_url} alt="" width={16} height={16} loading="lazy" /> : null}
            {e.footer?.text}
            {e.footer && e.timestamp ? " • " : null}
            {e.timestamp ? <time datetime={e.timestamp}>{e.timestamp.slice(0, 16).replace("T", " ")}</time> : null}
          </p>
        ) : null}
      </div>
      {e.thumbnail?.proxy_url ? <img class="embed-thumbnail" src={e.thumbnail.proxy_url} alt="" loading="lazy" width={80} height={80} /> : null}
    </article>
  );
}
