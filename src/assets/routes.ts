import { Hono } from "hono";
import { getAsset, gzippedAsset } from "./registry.ts";

export const assetRoutes = new Hono();

assetRoutes.get("/*", (c) => {
  // The path is only a key into the in-memory map: nothing from the URL touches the filesystem.
  const path = c.req.path.replace(/^\/static\//, "");
  const asset = getAsset(path);
  if (!asset) return c.notFound();
  const immutable = c.req.query("v") === asset.hash;
  const gzip = /\bgzip\b/.test(c.req.header("Accept-Encoding") ?? "") ? gzippedAsset(path, asset) : null;
  // Each encoding is its own representation: its own ETag, and caches keyed on Accept-Encoding.
  const etag = gzip ? `"${asset.hash}-gz"` : asset.etag;
  const headers: Record<string, string> = {
    ETag: etag,
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "Content-Type": asset.type,
    Vary: "Accept-Encoding",
  };
  if (gzip) headers["Content-Encoding"] = "gzip";
  if (c.req.header("If-None-Match") === etag) return c.body(null, 304, headers);
  return c.body(gzip ?? asset.body, 200, headers);
});
