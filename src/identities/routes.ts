import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import * as rules from "../contacts/fields.ts";
import { timestamp } from "../contacts/fields.ts";
import { normaliseContact } from "../contacts/input.ts";
import type { Db } from "../db/db.ts";
import { type FieldError, invalid } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import type { Workspace } from "../workspaces/repository.ts";
import { type Channel, checkAddress } from "./address.ts";
import { type IdentifyRequest, identify, removeIdentity } from "./repository.ts";
import { IdentifyAnswer, IdentifyBody, IdentityParams } from "./schema.ts";

/** The identify body, checked and in stored form; every bad field named at once. */
export function identifyRequest(
  workspace: Workspace,
  body: { channel: Channel; address: unknown; profile?: Record<string, unknown>; seenAt?: unknown },
): IdentifyRequest {
  const errors: FieldError[] = [];
  const { address, error } = checkAddress(body.channel, body.address, workspace.defaultCountry);
  if (error) errors.push(error);
  const profile = normaliseContact(body.profile ?? {}, workspace.defaultCountry);
  errors.push(...profile.errors.map((e) => ({ field: `profile.${e.field}`, message: e.message })));
  const seenAt = rules.check(errors, "seenAt", () => timestamp(body.seenAt ?? new Date().toISOString()));
  if (errors.length) throw invalid(errors);
  return { channel: body.channel, address: address as string, profile: profile.fields, seenAt: seenAt as string };
}

export const identityRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/contacts/identify",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "Find or create the contact behind a channel address, and record that they were seen",
          description:
            "Finds the contact by the identity, else by its own e-mail or phone being the address, else by the profile's email, phone or externalId, else creates one from the profile. The profile fills empty fields only; lastSeenAt never moves back.",
          body: IdentifyBody,
          response: { 200: IdentifyAnswer, 201: IdentifyAnswer, ...S.problems(400, 401, 403, 413, 422) },
        },
      },
      async (request, reply) => {
        const input = identifyRequest(request.auth.workspace, request.body);
        const result = await identify(db, request.auth.workspace.id, request.auth.actor, input);
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    app.delete(
      "/contacts/:id/identities/:channel/:address",
      {
        config: { role: "operator" },
        schema: {
          tags: ["contacts"],
          summary: "Remove one identity from a contact",
          params: IdentityParams,
          response: { 200: Type.Ref("Contact"), ...S.problems(400, 401, 403, 404, 422) },
        },
      },
      async (request) => {
        const { id, channel } = request.params;
        const { address, error } = checkAddress(channel, request.params.address, request.auth.workspace.defaultCountry);
        if (error) throw invalid([error]);
        return removeIdentity(db, request.auth.workspace.id, request.auth.actor, id, channel, address as string);
      },
    );
  };
