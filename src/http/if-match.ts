import { Problem } from "./problem.ts";

/** The version an `If-Match` header names, `*` for any, or undefined when absent. */
export function parseIfMatch(header: string | undefined): number | "*" | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return "*";
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) {
    throw new Problem(400, 'If-Match must be a version in quotes, as the ETag gave it ("3").', {
      errors: [{ field: "If-Match", message: "is malformed" }],
    });
  }
  return Number(match[1]);
}
