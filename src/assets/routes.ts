import { Hono } from "hono";
import { getAsset } from "./registry.ts";

export const assetRoutes = new Hono();

assetRoutes.get("/*", (c) => {
  // The path is only a key into the in-memory map: nothing from the URL touches the filesystem.
  const path = c.req.path.replace(/^\/static\//, "");
  const asset = getAsset(path);
  if (!asset) return c.notFound();
  const immutable = c.req.query("v") === asset.hash;
  const headers = {
    ETag: asset.etag,
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "Content-Type": asset.type,
  };
  if (c.req.header("If-None-Match") === asset.etag) return c.body(null, 304, headers);
  return c.body(asset.body, 200, headers);
});
