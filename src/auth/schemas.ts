import { Type } from "@sinclair/typebox";
import { email as emailRule } from "../contacts/fields.ts";
import { invalid, Problem } from "../http/problem.ts";
import * as S from "../http/schemas.ts";

export const User = Type.Object({ id: S.Uuid, name: Type.String(), email: Type.String(), role: S.Role });
export const WorkspaceSummary = Type.Object({ id: S.Uuid, slug: Type.String(), name: Type.String() });

/** An e-mail address checked for shape, as stored; a 422 naming the field otherwise. */
export function checkedEmail(value: string, field = "email"): string {
  try {
    const address = emailRule(value);
    if (address) return address;
    throw new Error("is required");
  } catch (error) {
    throw invalid([{ field, message: (error as Error).message }]);
  }
}

export const emailConflict = () =>
  new Problem(409, "A user with this e-mail address already exists in this workspace.", { field: "email" });
