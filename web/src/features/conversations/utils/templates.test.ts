import { describe, expect, it } from "vitest";
import type { Template } from "../api/types.ts";
import { approved, defaultParameters, fillTemplate, templateVariables, variablesIn } from "./templates.ts";

const template = (components: Template["components"], status = "APPROVED"): Template => ({
  name: "order_update",
  language: "en",
  category: "UTILITY",
  status,
  components,
});

describe("template variables", () => {
  it("finds each body variable once, in order", () => {
    expect(variablesIn("Hi {{1}}, your order {{2}} ships {{ 3 }}. Thanks {{1}}!")).toEqual(["1", "2", "3"]);
    expect(variablesIn("Hi {{first_name}}")).toEqual(["first_name"]);
    expect(variablesIn("No variables")).toEqual([]);
    expect(variablesIn(undefined)).toEqual([]);
  });

  it("asks for the body's variables, header media and a URL button's parameter", () => {
    const variables = templateVariables(
      template([
        { type: "HEADER", format: "IMAGE" },
        { type: "BODY", text: "Hi {{1}}, order {{2}} is on its way." },
        { type: "FOOTER", text: "Reply STOP to opt out" },
        {
          type: "BUTTONS",
          buttons: [
            { type: "QUICK_REPLY", text: "Thanks" },
            { type: "URL", text: "Track", url: "https://shop.example/track/{{1}}" },
          ],
        },
      ]),
    );
    expect(variables.map((v) => [v.key, v.kind])).toEqual([
      ["header", "url"],
      ["1", "text"],
      ["2", "text"],
      ["button.1.1", "text"],
    ]);
  });

  it("asks for a text header's variable apart from the body's", () => {
    const variables = templateVariables(
      template([
        { type: "HEADER", format: "TEXT", text: "Order {{1}}" },
        { type: "BODY", text: "Hi {{1}}" },
      ]),
    );
    expect(variables.map((v) => v.key)).toEqual(["header.1", "1"]);
  });

  it("gives a field to every parameter the server names, even one it does not derive", () => {
    const variables = templateVariables({
      ...template([{ type: "BODY", text: "Hi {{1}}" }]),
      parameters: ["1", "location"],
    });
    expect(variables.map((v) => v.key)).toEqual(["1", "location"]);
  });

  it("fills {{1}} with the first name and leaves the rest to the operator", () => {
    const variables = templateVariables(template([{ type: "BODY", text: "Hi {{1}}, {{2}}" }]));
    expect(defaultParameters(variables, { firstName: "Zoë" })).toEqual({ "1": "Zoë", "2": "" });
    expect(defaultParameters(variables, { firstName: null })).toEqual({ "1": "", "2": "" });
  });

  it("previews the body with the values given so far", () => {
    expect(fillTemplate("Hi {{1}}, order {{2}}", { "1": "Zoë", "2": "" })).toBe("Hi Zoë, order {{2}}");
  });

  it("offers only approved templates", () => {
    const list = [template([], "APPROVED"), template([], "PENDING"), template([], "REJECTED")];
    expect(approved(list)).toHaveLength(1);
  });
});
