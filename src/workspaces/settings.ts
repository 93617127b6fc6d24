import { Type } from "@sinclair/typebox";
import { isCountryCode, language as languageRule } from "../contacts/fields.ts";
import { invalid } from "../http/problem.ts";
import * as S from "../http/schemas.ts";

export const WorkspaceSettings = Type.Object({
  id: S.Uuid,
  slug: Type.String(),
  name: Type.String(),
  defaultCountry: Type.String({ description: "ISO 3166 country national phone numbers are read in" }),
  languages: Type.Array(Type.String(), { description: "BCP 47 tags of the languages the bots speak" }),
});
export const CountryCode = Type.String({ minLength: 2, maxLength: 2 });
export const Languages = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 });

/** Checks the workspace settings beyond their JSON types; returns them canonical. */
export function workspaceSettings(input: { defaultCountry?: string; languages?: string[] }) {
  const errors = [];
  let defaultCountry: string | undefined;
  if (input.defaultCountry !== undefined) {
    defaultCountry = input.defaultCountry.toUpperCase();
    if (!isCountryCode(defaultCountry)) {
      errors.push({ field: "defaultCountry", message: "is not an ISO 3166 country code (like NL)" });
    }
  }
  let languages: string[] | undefined;
  if (input.languages !== undefined) {
    languages = [];
    for (const [index, tag] of input.languages.entries()) {
      try {
        const canonical = languageRule(tag);
        if (canonical && !languages.includes(canonical)) languages.push(canonical);
      } catch (error) {
        errors.push({ field: `languages[${index}]`, message: (error as Error).message });
      }
    }
  }
  if (errors.length) throw invalid(errors);
  return { defaultCountry, languages };
}
