import { describe, expect, it } from "vitest";
import type { Me } from "../features/auth/api/me.ts";
import { redirectFor } from "./redirect.ts";

const workspace = { id: "w", slug: "acme", name: "Acme", defaultCountry: "NL", languages: ["en"] };
const as = (role: Me["role"]): Me => ({
  user: { id: "u", name: "Ann", email: "ann@example.com", role },
  role,
  workspace,
});

describe("redirectFor", () => {
  it("waits while it is not yet known who is signed in", () => {
    expect(redirectFor("/studio/contacts", undefined)).toBeNull();
  });

  it("sends a signed-out visitor to sign-in, but lets them reach setup", () => {
    expect(redirectFor("/", null)).toBe("/login");
    expect(redirectFor("/studio/contacts", null)).toBe("/login");
    expect(redirectFor("/login", null)).toBeNull();
    expect(redirectFor("/setup", null)).toBeNull();
  });

  it("starts admins in the Studio and operators in the Inbox", () => {
    expect(redirectFor("/", as("admin"))).toBe("/studio/contacts");
    expect(redirectFor("/", as("operator"))).toBe("/inbox/contacts");
    expect(redirectFor("/login", as("admin"))).toBe("/studio/contacts");
    expect(redirectFor("/setup", as("operator"))).toBe("/inbox/contacts");
  });

  it("lets admins switch between Inbox and Studio, and keeps operators out of the Studio", () => {
    expect(redirectFor("/inbox/contacts", as("admin"))).toBeNull();
    expect(redirectFor("/studio/contacts", as("admin"))).toBeNull();
    expect(redirectFor("/studio/contacts", as("operator"))).toBe("/inbox/contacts");
  });

  it("opens the Studio's settings to admins only", () => {
    expect(redirectFor("/studio/settings", as("admin"))).toBeNull();
    expect(redirectFor("/studio/settings", as("operator"))).toBe("/inbox/contacts");
  });
});
