import { describe, expect, it } from "vitest";
import type { Me } from "../features/auth/api/me.ts";
import { redirectFor } from "./redirect.ts";

const workspace = { id: "w", slug: "acme", name: "Acme", defaultCountry: "NL", languages: ["en"] };
const as = (role: Me["role"]): Me => ({
  user: { id: "u", name: "Ann", email: "ann@example.com", role },
  role,
  workspace,
});
const firstRun = { open: true, firstRun: true };
const closed = { open: false, firstRun: false };
const signup = { open: true, firstRun: false };

describe("redirectFor", () => {
  it("waits while it is not yet known who is signed in, or whether setup is open", () => {
    expect(redirectFor("/studio/contacts", undefined)).toBeNull();
    expect(redirectFor("/", null, undefined)).toBeNull();
  });

  it("sends every visitor of a new server to setup", () => {
    for (const path of ["/", "/login", "/studio/contacts", "/inbox/contacts", "/elsewhere"]) {
      expect(redirectFor(path, null, firstRun)).toBe("/setup");
    }
    expect(redirectFor("/setup", null, firstRun)).toBeNull();
  });

  it("sends a signed-out visitor to sign-in once setup is closed, setup included", () => {
    expect(redirectFor("/", null, closed)).toBe("/login");
    expect(redirectFor("/studio/contacts", null, closed)).toBe("/login");
    expect(redirectFor("/login", null, closed)).toBeNull();
    expect(redirectFor("/setup", null, closed)).toBe("/login");
  });

  it("lets a signed-out visitor reach both sign-in and setup while signup is allowed", () => {
    expect(redirectFor("/", null, signup)).toBe("/login");
    expect(redirectFor("/login", null, signup)).toBeNull();
    expect(redirectFor("/setup", null, signup)).toBeNull();
  });

  it("starts admins in the Studio and operators in the Inbox", () => {
    expect(redirectFor("/", as("admin"))).toBe("/studio/contacts");
    expect(redirectFor("/", as("operator"))).toBe("/inbox/contacts");
    expect(redirectFor("/login", as("admin"))).toBe("/studio/contacts");
    expect(redirectFor("/setup", as("operator"))).toBe("/inbox/contacts");
    expect(redirectFor("/setup", as("admin"), signup)).toBe("/studio/contacts");
  });

  it("lets admins switch between Inbox and Studio, and keeps operators out of the Studio", () => {
    expect(redirectFor("/inbox/contacts", as("admin"))).toBeNull();
    expect(redirectFor("/studio/contacts", as("admin"))).toBeNull();
    expect(redirectFor("/studio/contacts", as("operator"))).toBe("/inbox/contacts");
    expect(redirectFor("/studio/settings", as("admin"))).toBeNull();
    expect(redirectFor("/studio/settings", as("operator"))).toBe("/inbox/contacts");
  });

  it("opens the Studio's settings to admins only", () => {
    expect(redirectFor("/studio/settings", as("admin"))).toBeNull();
    expect(redirectFor("/studio/settings", as("operator"))).toBe("/inbox/contacts");
  });
});
