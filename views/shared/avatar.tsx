import type { User } from "../../src/auth/table.ts";

export const avatarUrl = (user: User) => (user.avatar ? `/avatars/${user.avatar}.webp` : null);

/** A round avatar: the picture, or the first letter of the name on a colour derived from the id. */
export function Avatar(props: { user: User; size?: number }) {
  const size = props.size ?? 32;
  const url = avatarUrl(props.user);
  const name = props.user.displayName ?? props.user.username;
  if (url) return <img class="avatar" src={url} alt="" width={size} height={size} />;
  const hue = Number(BigInt(props.user.id) % 8n);
  return (
    <span class={`avatar avatar-letter hue-${hue} size-${size}`} aria-hidden="true">
      {[...name][0]?.toUpperCase()}
    </span>
  );
}
