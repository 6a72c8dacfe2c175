// Input validation at the edge: request bodies go through a zod schema before any service sees
// them. Type confusion (objects, arrays, null, huge numbers where strings belong), unknown fields
// and malformed JSON are a 400 with a message per field.
import type { Context } from "hono";
import { z } from "zod";
import { AppError, ErrorCode } from "../lib/errors.ts";
import { isSnowflake } from "../db/snowflake.ts";

function invalid(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  return new AppError(400, ErrorCode.invalidBody, "Invalid form body.", { fields, key: "error.invalidBody" });
}

export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError(400, ErrorCode.invalidBody, "The body is not valid JSON.");
  }
  const result = schema.safeParse(body);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** A urlencoded or multipart form; repeated names (checkboxes) become arrays. */
export async function parseForm<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: Record<string, unknown>;
  try {
    body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  } catch {
    throw new AppError(400, ErrorCode.invalidBody, "The form could not be read.");
  }
  const result = schema.safeParse(body);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/** A string field of bounded length (forms send strings; JSON must too). */
export const text = (max: number) => z.string().max(max, `At most ${max} characters.`);
export const password = z.string().min(1, "Required.").max(1024, "Too long.");
export const snowflakeParam = z.string().refine(isSnowflake, "Not an id.");
/** Checkbox groups arrive as a string (one ticked) or an array (several). */
export const checkboxes = <T extends string>(values: readonly [T, ...T[]]) =>
  z.union([z.enum(values), z.array(z.enum(values))]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
