import type { Template } from "../api/types.ts";

/**
 * A value the operator gives a WhatsApp template before it can be sent. `key` is the
 * name in `template.parameters` of `POST /contacts/:id/conversations`: the body's
 * variables by their own names (`1`, `2`, or a named variable), the header's text variable
 * as `header.1`, header media as `header` (the file's URL), a URL button's variable as
 * `button.<index>.<variable>` (`button.1.1`). The server lists the same names in each
 * template's `parameters`; a name only it knows still gets a field.
 */
export interface TemplateVariable {
  key: string;
  label: string;
  kind: "text" | "url";
  /** The template text around the variable, to say what it fills in. */
  context?: string;
}

const VARIABLE = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The variable names in a template text, in order of first appearance, each once. */
export function variablesIn(text: string | undefined): string[] {
  const names: string[] = [];
  for (const match of (text ?? "").matchAll(VARIABLE)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

const MEDIA: Record<string, string> = { IMAGE: "image", VIDEO: "video", DOCUMENT: "document" };

export function templateVariables(template: Template): TemplateVariable[] {
  const variables: TemplateVariable[] = [];
  for (const component of template.components) {
    if (component.type === "HEADER") {
      const media = MEDIA[component.format ?? ""];
      if (media) variables.push({ key: "header", label: `Header ${media} URL`, kind: "url" });
      else {
        for (const name of variablesIn(component.text)) {
          variables.push({
            key: `header.${name}`,
            label: `Header variable {{${name}}}`,
            kind: "text",
            context: component.text,
          });
        }
      }
    } else if (component.type === "BODY") {
      for (const name of variablesIn(component.text)) {
        variables.push({ key: name, label: `Variable {{${name}}}`, kind: "text", context: component.text });
      }
    } else if (component.type === "BUTTONS") {
      (component.buttons ?? []).forEach((button, index) => {
        if (button.type.toUpperCase() !== "URL") return;
        for (const name of variablesIn(button.url)) {
          variables.push({
            key: `button.${index}.${name}`,
            label: `Link of button “${button.text ?? index + 1}” {{${name}}}`,
            kind: "text",
            context: button.url,
          });
        }
      });
    }
  }
  for (const name of template.parameters ?? []) {
    if (!variables.some((variable) => variable.key === name)) {
      variables.push({ key: name, label: `Parameter ${name}`, kind: "text" });
    }
  }
  return variables;
}

/** The values a template starts with: `{{1}}` of the body is the contact's first name. */
export function defaultParameters(
  variables: TemplateVariable[],
  contact: { firstName: string | null },
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const variable of variables) values[variable.key] = variable.key === "1" ? (contact.firstName ?? "") : "";
  return values;
}

/** The body as the contact will read it, with the values given so far. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => values[name] || whole);
}

/** The body text of a template, shown as its preview. */
export const templateBody = (template: Template) =>
  template.components.find((component) => component.type === "BODY")?.text ?? "";

/** Only approved templates can be sent; the list shows them by name and language. */
export const approved = (templates: Template[]) => templates.filter((t) => t.status.toUpperCase() === "APPROVED");

export const templateKey = (template: Pick<Template, "name" | "language">) => `${template.name}|${template.language}`;
