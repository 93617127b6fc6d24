import type { FastifyRequest, RouteOptions } from "fastify";
import { forbidden } from "../http/problem.ts";
import type { Role } from "./scope.ts";

/** Who may call a route: anyone, any signed-in caller, or an admin of the workspace. */
export type RouteRole = "public" | Role;
export const ROUTE_ROLES: readonly RouteRole[] = ["public", "operator", "admin"];

declare module "fastify" {
  interface FastifyContextConfig {
    /** Declared on every route under /api/v1; a route without one refuses to start. */
    role?: RouteRole;
  }
  interface FastifyInstance {
    /** The route table of /api/v1: each route's method, URL and declared role. */
    routeRoles: readonly RouteRoleEntry[];
  }
}

export interface RouteRoleEntry {
  method: string;
  url: string;
  role: RouteRole;
}

export const API_PREFIX = "/api/v1";

/** The role a route declared, or undefined. */
export function declaredRole(config: unknown): RouteRole | undefined {
  const role = (config as { role?: unknown } | undefined)?.role;
  return ROUTE_ROLES.includes(role as RouteRole) ? (role as RouteRole) : undefined;
}

/**
 * The onRoute check: an /api/v1 route that declares no role (or an unknown one) is a
 * programming error, refused when the app is built, so a forgotten check fails closed.
 */
export function requireDeclaredRole(route: RouteOptions): RouteRoleEntry | undefined {
  if (!route.url.startsWith(API_PREFIX)) return undefined;
  const role = declaredRole(route.config);
  const method = [route.method].flat().join(",");
  if (role === undefined) {
    throw new Error(`${method} ${route.url} declares no role: add config: { role: "public" | "operator" | "admin" }`);
  }
  return { method, url: route.url, role };
}

/**
 * The one check of a route's declared role, run after the caller is known (and after the
 * request is validated and counted by the rate limit, as before).
 */
export async function enforceRole(request: FastifyRequest) {
  // Anything but public and operator (including, were one to slip through, no role) is admin-only.
  const role = declaredRole(request.routeOptions.config);
  if (role === "public" || role === "operator") return;
  if (request.auth.role !== "admin") {
    throw forbidden("Only an admin of this workspace may do this.");
  }
}

/** Adds the role check to each route's own preHandlers, after those already there (the rate limit). */
export function addRoleCheck(route: RouteOptions) {
  if (declaredRole(route.config) === "public") return;
  const existing = route.preHandler;
  route.preHandler = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), enforceRole];
}
