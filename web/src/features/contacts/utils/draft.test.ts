import { describe, expect, it } from "vitest";
import type { Contact } from "../api/types.ts";
import { createInput, draftOf, emptyDraft, isBlank, patchInput } from "./draft.ts";

const contact: Contact = {
  id: "c0ffee00-0000-4000-8000-000000000000",
  firstName: "Zoë",
  lastName: "de Vries",
  email: "zoe@example.nl",
  phone: "+31612345678",
  language: "nl-NL",
  timezone: "Europe/Amsterdam",
  externalId: null,
  tags: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  lastSeenAt: null,
  version: 3,
};

describe("contact drafts", () => {
  it("sends only filled fields on create, with the phone's country", () => {
    const draft = { ...emptyDraft("NL", "Europe/Amsterdam"), firstName: " Zoë ", phone: "06 12345678" };
    expect(createInput(draft)).toEqual({
      firstName: "Zoë",
      phone: "06 12345678",
      phoneCountry: "NL",
      timezone: "Europe/Amsterdam",
    });
  });

  it("leaves the phone's country to the workspace when none is chosen", () => {
    const draft = { ...emptyDraft("", "UTC"), phone: "06 12345678" };
    expect(createInput(draft)).toEqual({ phone: "06 12345678", timezone: "UTC" });
  });

  it("knows a form with nothing that identifies a contact", () => {
    expect(isBlank(emptyDraft("NL", "UTC"))).toBe(true);
    expect(isBlank({ ...emptyDraft("NL", "UTC"), externalId: "crm-1" })).toBe(false);
  });

  it("shows a stored contact's phone as its country writes it", () => {
    expect(draftOf(contact, "NL")).toMatchObject({ phone: "06 12345678", phoneCountry: "NL", externalId: "" });
    expect(draftOf({ ...contact, phone: "+442079460958" }, "NL")).toMatchObject({ phoneCountry: "GB" });
  });

  it("patches only what changed, and clears an emptied field with null", () => {
    const before = draftOf(contact, "NL");
    expect(patchInput(before, before)).toEqual({});
    expect(patchInput(before, { ...before, email: "", externalId: "crm-7" })).toEqual({
      email: null,
      externalId: "crm-7",
    });
    expect(patchInput(before, { ...before, phone: "+44 20 7946 0958", phoneCountry: "GB" })).toEqual({
      phone: "+44 20 7946 0958",
      phoneCountry: "GB",
    });
  });
});
