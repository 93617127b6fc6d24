/** The one way the web app talks to the API: JSON in, JSON or problem+json out. */

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem as the API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  field?: string;
  conflictingContactId?: string | null;
  currentVersion?: number;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${problem.status}.`);
  }

  get status() {
    return this.problem.status;
  }
}

export const API_BASE = "/api/v1";

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

let onUnauthorized: () => void = () => {};

/** Called when a request answers 401 although the app thought it was signed in. */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as Problem;
    if (parsed && typeof parsed === "object") return { ...parsed, status: response.status };
  } catch {
    // Not JSON: a proxy or the network answered, not the API.
  }
  return { status: response.status, title: response.statusText, detail: text || response.statusText };
}

/** Sends a request; throws ApiError with the problem on any status ≥ 400. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${API_BASE}${path}`, {
    method: options.method ?? "GET",
    headers,
    body,
    signal: options.signal,
    credentials: "same-origin",
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !path.startsWith("/auth/") && path !== "/me") onUnauthorized();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A query string from a record; arrays repeat their key, empty values are left out. */
export function queryString(params: Record<string, string | number | string[] | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
