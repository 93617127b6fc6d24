import { type TSchema, Type } from "@sinclair/typebox";

/** Shared pieces of the route schemas (and so of the OpenAPI document). */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    field: Type.Optional(Type.String()),
    conflictingContactId: Type.Optional(Type.String()),
  },
  { $id: "Problem", additionalProperties: true },
);

export const ProblemRef = Type.Ref("Problem");

/** Response schemas for the usual problems of a route, by status. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemRef]));
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: "uuid" });
export const IdParams = Type.Object({ id: Uuid });

export const Role = Type.Union([Type.Literal("admin"), Type.Literal("operator")]);
export const Email = Type.String({ maxLength: 254 });
export const Password = Type.String({ minLength: 12, maxLength: 1024 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
