import { ApiError } from "./api-client.ts";

/** What a failed save means for a form: messages beside fields, and one for the whole form. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
  /** A 409: the field whose value another record already uses, and that record. */
  conflict?: { field: string; id: string | null };
}

export const NO_ERRORS: FormErrors = { fields: {} };

/**
 * Turns an error from the API into messages a person can act on. `labels` names the
 * fields the form shows (API field → label); `aliases` points API fields the form does
 * not show at the field that produced them (phoneCountry → phone). Anything else goes to
 * the form message, so no error is silently dropped.
 */
export function formErrors(
  error: unknown,
  labels: Record<string, string>,
  aliases: Record<string, string> = {},
): FormErrors {
  if (!(error instanceof ApiError)) {
    return { fields: {}, form: "The server could not be reached. Check the connection and try again." };
  }
  const { problem } = error;
  const fields: Record<string, string> = {};
  const leftOver: string[] = [];
  for (const item of problem.errors ?? []) {
    const field = aliases[item.field] ?? item.field;
    const label = labels[field];
    if (label === undefined) leftOver.push(`${item.field} ${item.message}`);
    else if (fields[field] === undefined) fields[field] = `${label} ${item.message}.`.replace(/\.\.$/, ".");
  }
  let conflict: FormErrors["conflict"];
  if (problem.status === 409 && problem.field) {
    const field = aliases[problem.field] ?? problem.field;
    conflict = { field, id: problem.conflictingContactId ?? null };
    if (labels[field] !== undefined) {
      fields[field] = `Another contact already has this ${labels[field].toLowerCase()}.`;
    }
  }
  let form: string | undefined;
  if (leftOver.length) form = `${capitalise(leftOver.join("; "))}.`;
  else if (Object.keys(fields).length === 0) form = problem.detail ?? problem.title ?? "Saving failed.";
  return { fields, form, conflict };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
