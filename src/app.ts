import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import Fastify, { type FastifyServerOptions } from "fastify";
import { addRoleCheck, type RouteRoleEntry, requireDeclaredRole } from "./auth/roles.ts";
import { authRoutes } from "./auth/routes.ts";
import { authenticate } from "./auth/scope.ts";
import { setupRoutes } from "./auth/setup-routes.ts";
import { tokenRoutes } from "./auth/tokens-routes.ts";
import { userRoutes } from "./auth/users-routes.ts";
import { channelRoutes } from "./channels/routes.ts";
import { webhookRoutes } from "./channels/webhooks.ts";
import type { Config } from "./config.ts";
import { contactRoutes } from "./contacts/routes.ts";
import { Contact } from "./contacts/schema.ts";
import { conversationRoutes } from "./conversations/routes.ts";
import { Message } from "./conversations/schema.ts";
import type { Db } from "./db/db.ts";
import { exportRoutes } from "./exports/routes.ts";
import { badRequest, notFound, Problem, problemBody, sendProblem, toProblem } from "./http/problem.ts";
import { Problem as ProblemSchema } from "./http/schemas.ts";
import { identityRoutes } from "./identities/routes.ts";
import { importRoutes } from "./imports/routes.ts";
import { jobsPlugin } from "./jobs/plugin.ts";
import { barePage } from "./seed/bare-page.ts";
import { tagRoutes } from "./tags/routes.ts";
import { workspaceRoutes } from "./workspaces/routes.ts";

export const WEB_DIST = fileURLToPath(new URL("../web/dist/", import.meta.url));

/**
 * Request logs name the method, the path and the request id, never the query string or
 * headers: searches and filters carry names, e-mail addresses and phone numbers.
 */
export const LOG_SERIALIZERS = {
  req: (request: { method: string; url: string; id: string }) => ({
    id: request.id,
    method: request.method,
    path: request.url.split("?")[0],
  }),
};

export interface AppOptions {
  db: Db;
  config: Config;
  logger?: FastifyServerOptions["logger"];
}

/**
 * Request bodies are checked strictly (no type coercion, unknown fields refused); query
 * strings and path parameters are text, so numbers and repeated keys are coerced there.
 */
function validatorCompiler() {
  const options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const body = addFormats.default(new Ajv.default({ ...options, coerceTypes: false }));
  const query = addFormats.default(new Ajv.default({ ...options, coerceTypes: "array" }));
  for (const ajv of [body, query]) ajv.addSchema(ProblemSchema).addSchema(Contact);
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === "body" ? body : query).compile(schema);
}

export async function buildApp({ db, config, logger }: AppOptions) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, serializers: LOG_SERIALIZERS },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: "x-request-id",
    // A malformed URL (`/%ff`) is refused by the router before any hook: still problem+json.
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Fail closed: an /api/v1 route that declares no role stops the app from being built.
  const routeRoles: RouteRoleEntry[] = [];
  app.decorate("routeRoles", routeRoles);
  app.addHook("onRoute", (route) => {
    const entry = requireDeclaredRole(route);
    if (entry) routeRoles.push(entry);
  });
  app.setValidatorCompiler(validatorCompiler());
  // No text the product keeps can hold NUL (PostgreSQL refuses it): a query or path value
  // with one is malformed, whatever the route.
  app.addHook("preValidation", async (request) => {
    const parts = { query: request.query, params: request.params } as Record<string, unknown>;
    const errors = Object.values(parts).flatMap((values) =>
      Object.entries((values ?? {}) as Record<string, unknown>)
        .filter(([, value]) => [value].flat().some((v) => typeof v === "string" && v.includes("\u0000")))
        .map(([field]) => ({ field, message: "must not contain a NUL character" })),
    );
    if (errors.length) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addSchema(ProblemSchema);
  app.addSchema(Contact);
  app.addSchema(Message);

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error as Error, request);
    if (problem.status >= 500) request.log.error({ err: error }, "request failed");
    return sendProblem(reply, problem);
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React Aria positions popovers with inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // A session cookie must never be sent to a page served over plain HTTP by a proxy.
    strictTransportSecurity: false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Contacts API",
        version: "1.0.0",
        description: "The contacts, tags, exports and imports of a workspace. Errors are RFC 9457 problem+json.",
      },
      servers: [{ url: "/" }],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token from POST /api/v1/tokens" },
          session: { type: "apiKey", in: "cookie", name: "contacts_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    staticCSP: true,
    // Its own policy allows framing by this site; no page of ours is ever framed.
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.get("/healthz", { schema: { hide: true } }, async () => {
    await db.query("select 1");
    return { status: "ok" };
  });

  if (config.benchRoutes) {
    // The benchmarks' baseline: a fixed list page of 50 contacts, no database, no auth.
    const page = barePage(50);
    app.get("/bench/bare", { schema: { hide: true } }, async (_request, reply) =>
      reply.type("application/json; charset=utf-8").send(page),
    );
  }

  await app.register(jobsPlugin, { db, config });

  await app.register(
    async (api) => {
      api.addHook("onRequest", authenticate(db));
      await api.register(rateLimit, {
        hook: "preHandler",
        max: config.apiRateLimit,
        timeWindow: 60_000,
        keyGenerator: (request) => request.auth?.credential ?? request.ip,
        errorResponseBuilder: (_request, context) =>
          new Problem(
            429,
            `Too many requests: at most ${context.max} a minute. Try again in ${context.after}.`,
            {},
            {
              "retry-after": String(Math.ceil(context.ttl / 1000)),
            },
          ),
      });
      // After the rate limit's own onRoute hook: its preHandler runs first, as it always has.
      api.addHook("onRoute", addRoleCheck);
      await api.register(setupRoutes(db, config));
      await api.register(authRoutes(db, config));
      await api.register(workspaceRoutes(db));
      await api.register(tokenRoutes(db));
      await api.register(userRoutes(db));
      await api.register(identityRoutes(db));
      await api.register(channelRoutes(db, config));
      await api.register(conversationRoutes(db, config));
      await api.register(webhookRoutes(db, config));
      await api.register(contactRoutes(db));
      await api.register(tagRoutes(db));
      await api.register(exportRoutes(db));
      await api.register(importRoutes(db, config));
    },
    { prefix: "/api/v1" },
  );

  const webBuilt = existsSync(WEB_DIST);
  if (webBuilt) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      // Vite names built assets by their content hash: a new build gets new names.
      setHeaders: (response, path) => {
        if (path.includes("/assets/")) response.header("cache-control", "public, max-age=31536000, immutable");
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if ((request.method === "GET" || request.method === "HEAD") && !path.startsWith("/api/") && webBuilt) {
      // The web app routes in the browser: every page is its index.html.
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return sendProblem(reply, path.startsWith("/api/") ? notFound("resource") : new Problem(404, "Not found."));
  });

  return app;
}

export { problemBody };
