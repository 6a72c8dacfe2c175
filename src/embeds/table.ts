// Drizzle mirror of migrations/0011_embeds_emoji.sql (embeds and link previews).
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { int, snowflake } from "../db/columns.ts";

export const embeds = sqliteTable(
  "embeds",
  {
    messageId: snowflake("message_id").notNull(),
    position: int("position").notNull(),
    source: text("source", { enum: ["api", "preview"] }).notNull(),
    type: text("type", { enum: ["rich", "link", "image", "video", "gifv", "article"] }).notNull(),
    title: text("title"),
    description: text("description"),
    url: text("url"),
    color: int("color"),
    timestamp: text("timestamp"),
    fields: text("fields"),
    footer: text("footer"),
    image: text("image"),
    thumbnail: text("thumbnail"),
    author: text("author"),
    provider: text("provider"),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.position] })],
);
export type EmbedRow = typeof embeds.$inferSelect;

export const linkPreviews = sqliteTable("link_previews", {
  url: text("url").primaryKey(),
  fetchedAt: int("fetched_at").notNull(),
  embed: text("embed"),
});
