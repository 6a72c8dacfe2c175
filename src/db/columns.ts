// Column types for the drizzle schema. Connections run with safeIntegers (see client.ts) so a
// 64-bit snowflake never loses precision; these map driver bigints to what the code wants.
import { customType } from "drizzle-orm/sqlite-core";
import { isSnowflake } from "./snowflake.ts";

/** A snowflake id: a decimal string in the app and in JSON, an INTEGER in SQLite. */
export const snowflake = customType<{ data: string; driverData: bigint }>({
  dataType: () => "integer",
  // A string that is not an id (from a URL, say) becomes -1, which matches no row, instead of throwing.
  toDriver: (value) => (isSnowflake(value) ? BigInt(value) : -1n),
  fromDriver: (value) => value.toString(),
});

/**
 * Snowflake ids as one JSON array of integers, for `x IN (SELECT value FROM json_each(?))`: one
 * prepared statement serves any number of ids. Anything that is not an id is left out.
 */
export const idList = (ids: Iterable<string>): string => `[${[...ids].filter((id) => /^\d{1,19}$/.test(id)).join(",")}]`;

/** A small integer (counts, flags, positions): a JS number in the app. */
export const int = customType<{ data: number; driverData: bigint | number }>({
  dataType: () => "integer",
  toDriver: (value) => value,
  fromDriver: (value) => Number(value),
});

/** A boolean stored as 0/1. */
export const bool = customType<{ data: boolean; driverData: bigint | number }>({
  dataType: () => "integer",
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) === 1,
});

/** A 64-bit permission bitfield: a bigint in the app (Discord sends it as a decimal string). */
export const bitfield = customType<{ data: bigint; driverData: bigint | number }>({
  dataType: () => "integer",
  toDriver: (value) => value,
  fromDriver: (value) => BigInt(value),
});
