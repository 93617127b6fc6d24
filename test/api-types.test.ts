import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_TYPES_PATH, generateApiTypes } from "../scripts/api-types.ts";

describe("web/src/types/api.d.ts", () => {
  it("is what openapi-typescript makes of the server's OpenAPI document now (run `npm run api-types`)", async () => {
    const generated = await generateApiTypes();
    const checkedIn = readFileSync(API_TYPES_PATH, "utf8");
    // A route schema changed without regenerating: the web app's type check ran against stale types.
    expect(checkedIn === generated, "web/src/types/api.d.ts is stale: run `npm run api-types`").toBe(true);
    expect(generated).toContain('"/api/v1/contacts"');
  }, 120_000);
});
