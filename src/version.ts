// package.json is bundled into the binary, so the version needs no file at run time.
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
