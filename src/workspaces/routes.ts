import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Db } from "../db/db.ts";
import * as S from "../http/schemas.ts";
import { publicWorkspace, updateWorkspace } from "./repository.ts";
import { CountryCode, Languages, WorkspaceSettings, workspaceSettings } from "./settings.ts";

/** /workspace: this workspace's settings. */
export const workspaceRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/workspace",
      {
        config: { role: "operator" },
        schema: {
          tags: ["workspace"],
          summary: "This workspace's settings",
          response: { 200: WorkspaceSettings, ...S.problems(401) },
        },
      },
      async (request) => publicWorkspace(request.auth.workspace),
    );

    app.patch(
      "/workspace",
      {
        config: { role: "admin" },
        schema: {
          tags: ["workspace"],
          summary: "Change the name, default phone country or languages (admin)",
          body: Type.Object(
            {
              name: Type.Optional(S.Name),
              defaultCountry: Type.Optional(CountryCode),
              languages: Type.Optional(Languages),
            },
            { additionalProperties: false },
          ),
          response: { 200: WorkspaceSettings, ...S.problems(400, 401, 403, 422) },
        },
      },
      async (request) => {
        const settings = workspaceSettings(request.body);
        const workspace = await updateWorkspace(db, request.auth.workspace.id, {
          name: request.body.name?.trim(),
          ...settings,
        });
        return publicWorkspace(workspace);
      },
    );
  };
