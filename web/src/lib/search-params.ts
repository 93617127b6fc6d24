/**
 * The address's query string as the app writes it: plain `key=value` pairs, a list as the
 * key repeated (`?tag=Sales&tag=Billing`), empty values left out. The router parses and
 * writes search params with these, so links stay as readable as they were; each route then
 * validates its own params (types, allowed values).
 */
export type RawSearch = Record<string, string | string[]>;

export function parseSearch(search: string): RawSearch {
  const params = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const out: RawSearch = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length > 1 ? values : (values[0] as string);
  }
  return out;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === "") continue;
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A param that should be one string: the first of several, undefined when missing or empty. */
export function one(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first !== "" ? first : undefined;
}

/** A param that may repeat: always a list of non-empty strings. */
export function many(value: unknown): string[] {
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((item): item is string => typeof item === "string" && item !== "");
}
