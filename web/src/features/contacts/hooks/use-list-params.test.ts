import { describe, expect, it } from "vitest";
import { listParamsOf, validateListSearch } from "./use-list-params.ts";

describe("the contact list's search params", () => {
  it("keeps what the list understands and types it", () => {
    expect(validateListSearch({ q: "zoë", tag: "Sales", sort: "name", contact: "c1", other: "x" })).toEqual({
      q: "zoë",
      tag: ["Sales"],
      language: undefined,
      channel: undefined,
      sort: "name",
      contact: "c1",
    });
    expect(validateListSearch({ tag: ["Sales", "Billing"], language: "nl", channel: "whatsapp" })).toMatchObject({
      tag: ["Sales", "Billing"],
      language: "nl",
      channel: "whatsapp",
    });
  });

  it("drops an unknown sort, empty values and the default sort", () => {
    expect(validateListSearch({ sort: "email", q: "", tag: [""] })).toEqual({
      q: undefined,
      tag: undefined,
      language: undefined,
      channel: undefined,
      sort: undefined,
      contact: undefined,
    });
    expect(validateListSearch({ sort: "-createdAt" }).sort).toBeUndefined();
  });

  it("gives the list its filters, sort and open contact", () => {
    expect(listParamsOf({})).toEqual({
      filters: { q: "", tags: [], language: "", channel: "" },
      sort: "-createdAt",
      contactId: null,
    });
    expect(listParamsOf({ q: "a", tag: ["x"], sort: "name", contact: "c" })).toEqual({
      filters: { q: "a", tags: ["x"], language: "", channel: "" },
      sort: "name",
      contactId: "c",
    });
  });
});
