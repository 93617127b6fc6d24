/**
 * Shared API types for every feature, derived from the generated `api.d.ts`
 * (`npm run api-types`): a server change that breaks a page fails `tsc --noEmit`.
 */
import type { components, paths } from "./api.d.ts";

export type { components, paths };
export type Schemas = components["schemas"];

type Json<T> = T extends { content: { "application/json": infer Body } } ? Body : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON body an operation answers with `status` (200 unless told). */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Role = ResponseOf<"/api/v1/me", "get">["role"];

/** Who is signed in (`GET /me`): the user (null for an API token), the role and the workspace. */
export type Me = ResponseOf<"/api/v1/me", "get">;
export type Workspace = Me["workspace"];
