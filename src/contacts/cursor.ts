import { createHmac, timingSafeEqual } from "node:crypto";
import { badRequest } from "../http/problem.ts";

/** Where a page ended: the sort it belongs to, the sort key and id of its last contact. */
export interface Position {
  sort: string;
  key: string;
  id: string;
}

const sign = (secret: Buffer, data: string) =>
  createHmac("sha256", secret).update(data).digest().subarray(0, 16).toString("base64url");

/** An opaque cursor: the position, signed with the workspace's secret so it cannot be forged. */
export function encodeCursor(secret: Buffer, position: Position): string {
  const data = Buffer.from(JSON.stringify([position.sort, position.key, position.id])).toString("base64url");
  return `${data}.${sign(secret, data)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeCursor(secret: Buffer, cursor: string, sort: string): Position {
  const bad = (why: string) =>
    badRequest(`The cursor is not valid: ${why}. Start again from the first page.`, [
      { field: "cursor", message: why },
    ]);
  const [data, signature, ...rest] = cursor.split(".");
  if (!data || !signature || rest.length > 0) throw bad("it is malformed");
  const expected = Buffer.from(sign(secret, data));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw bad("it was altered");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
  } catch {
    throw bad("it is malformed");
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((v) => typeof v === "string")) {
    throw bad("it is malformed");
  }
  const [cursorSort, key, id] = parsed as [string, string, string];
  if (cursorSort !== sort) throw bad(`it belongs to sort=${cursorSort}, not sort=${sort}`);
  if (!UUID.test(id)) throw bad("it is malformed");
  return { sort: cursorSort, key, id };
}
