/**
 * One small interface over the two databases the product runs on: PGlite (embedded,
 * one connection in this process) and a PostgreSQL server (a pg pool). Both speak the
 * same SQL; timestamps come back as ISO 8601 UTC strings with their full precision, so
 * a value read can be sent back (in a cursor, say) and compare equal.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL's text form of a timestamptz in UTC ("2026-11-25 13:09:17.123456+00") → ISO 8601. */
export function isoFromPg(value: string): string {
  if (value.endsWith("infinity")) return value;
  return `${value.replace(" ", "T").replace(/\+00(:00)?$/, "")}Z`;
}

export const TIMESTAMPTZ_OID = 1184;

/** SQLSTATE of a failed statement, or undefined for other errors. */
export function sqlState(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "constraint" in error
    ? String((error as { constraint: unknown }).constraint)
    : undefined;
}
