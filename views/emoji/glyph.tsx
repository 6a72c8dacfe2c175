/** An emoji as stored in a reaction: unicode as text, a custom one (name:id) as its image. */
export function EmojiGlyph(props: { emoji: string }) {
  const custom = /^([A-Za-z0-9_]{2,32}):(\d{1,20})$/.exec(props.emoji);
  if (!custom) return <>{props.emoji}</>;
  // /emojis/{id}.webp answers with the stored image whatever it is (static WebP or animated GIF).
  return <img class="emoji custom-emoji" src={`/emojis/${custom[2]}.webp`} alt={`:${custom[1]}:`} title={`:${custom[1]}:`} width={18} height={18} loading="lazy" />;
}
